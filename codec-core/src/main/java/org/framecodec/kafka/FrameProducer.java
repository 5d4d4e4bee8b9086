package org.framecodec.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.framecodec.batch.Batch;
import org.framecodec.batch.BatchItem;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.codec.BatchResult;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.frames.Frame;

/**
 * Encodes frames on a pool of threads and writes them to a Kafka topic, one record per frame:
 * key = stream id (so a stream stays on one partition, in order), value = the frame's raw
 * container ({@link EncodedFrameSerializer}), headers per {@link FrameHeaders}.
 *
 * <pre>
 *  submit(stream, frame#, pts, Frame) ─▶ Batcher ─▶ ParallelBatchCodec ─▶ KafkaProducer.send ─▶ broker
 *  send(EncodedFrame) ───────────────▶ (bounded;    (encodeThreads)       (idempotent, acks=all,
 *                                       overflow                           no compression)
 *                                       policy)
 * </pre>
 *
 * <p><b>Order.</b> Frames of one stream reach the topic in the order their {@code submit}
 * calls returned: the batcher keeps submit order, a batch is encoded in parallel but sent in
 * order from one thread, and the idempotent producer keeps order per partition across retries.
 *
 * <p><b>Backpressure.</b> When the broker is slow or away, the Kafka client's buffer fills, the
 * sending thread waits (and retries every {@code max.block.ms}, counted in {@link
 * FrameProducerStats#blockedSends()}), the batcher's queue fills, and the {@link
 * OverflowPolicy} decides, exactly as in a {@link Batcher}: {@code BLOCK} holds the caller of
 * {@code submit} until there is room (nothing lost; right for files), {@code DROP_OLDEST} drops
 * the oldest queued frame (right for live streams), {@code REJECT} refuses the new one. Every
 * frame lost is counted ({@link FrameProducerStats#dropped()}). When the broker comes back the
 * buffered records go out and the queue drains.
 *
 * <p><b>Kafka settings</b> (each can be overridden with {@link Builder#property}): {@code
 * acks=all} and {@code enable.idempotence=true} (no duplicates from retries, order kept), {@code
 * compression.type=none} (JPEG does not compress; compression would only spend CPU), {@code
 * linger.ms=5} and {@code batch.size=512 KiB} (a 100-200 KB record fills a default 16 KiB batch
 * alone; 512 KiB lets 2-5 frames of a busy partition share a request while staying under the
 * broker's default 1 MiB {@code message.max.bytes}), {@code max.block.ms=1000} (the sender wakes
 * each second to notice {@code close}). Records over {@code max.request.size} (1 MiB by default;
 * a 1080p frame at quality 95 and above can be) fail and are counted in {@link
 * FrameProducerStats#sendFailures()}.
 *
 * <p><b>Buffers.</b> A submitted {@link Frame} is read by an encoder thread some time after
 * {@code submit} returns: the caller must not change its pixels until then (hand over a fresh
 * frame per call, or call {@link #flush()} before reusing one). An {@link EncodedFrame} passed to
 * {@link #send} is copied into the record when it is sent.
 *
 * <p><b>Thread-safety.</b> {@code submit}, {@code send}, {@code flush} and {@code stats} may be
 * called from any number of threads. {@link #close()} flushes, waits up to the close timeout for
 * the broker, then closes the client and the encoders; idempotent. Calls after it throw
 * {@link IllegalStateException}.
 */
public final class FrameProducer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FrameProducer.class.getName());
  private static final AtomicInteger IDS = new AtomicInteger();
  /**
   * The producer properties this class sets over the package's ({@link ClientProperties#producer})
   * and under the caller's overrides; the class notes say why.
   */
  private static final Map<String, Object> DEFAULTS = Map.of(
      ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
      ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
      ProducerConfig.LINGER_MS_CONFIG, 5,
      ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
      ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);

  private final String topic;
  private final EncodeOptions encodeOptions;
  private final Duration closeTimeout;
  private final ParallelBatchCodec encoders;
  private final Producer<String, EncodedFrame> producer;
  private final Batcher<Pending> batcher;

  private final AtomicLong encodeFailures = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong ackedBytes = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong unsent = new AtomicLong();
  private final AtomicLong blockedSends = new AtomicLong();
  /** Set by close: the sending thread stops retrying at this System.nanoTime(). */
  private volatile long giveUpAtNanos = Long.MAX_VALUE;
  private volatile boolean closed;

  /** One frame on its way: either raw (to encode) or already encoded. */
  private record Pending(String streamId, long frameNumber, long ptsMicros, Frame raw,
      EncodedFrame encoded) {}

  private FrameProducer(Builder b, Producer<String, EncodedFrame> producer) {
    this.topic = b.topic;
    this.encodeOptions = b.encodeOptions;
    this.closeTimeout = b.closeTimeout;
    this.producer = producer;
    int id = IDS.incrementAndGet();
    ParallelBatchCodec codec = null;
    try {
      codec = ParallelBatchCodec.builder().backend(b.backend).threads(b.encodeThreads)
          .threadNamePrefix("framecodec-kafka-encode-" + id).build();
      awaitTopic(producer, topic, b.startupTimeout);
    } catch (RuntimeException | Error e) {
      if (codec != null) {
        codec.close();
      }
      producer.close(Duration.ZERO);
      throw e;
    }
    this.encoders = codec;
    this.batcher = Batcher.<Pending>builder()
        .maxBatchSize(b.batchSize)
        .maxDelay(b.maxDelay)
        .queueCapacity(b.queueCapacity > 0 ? b.queueCapacity : 4 * b.batchSize)
        .overflowPolicy(b.policy)
        .consumer(this::encodeAndSend)
        .threadName("framecodec-kafka-send-" + id)
        .build();
  }

  /** {@return a new builder; bootstrap servers, topic and encode options are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Queues a raw frame to be encoded with the producer's {@link EncodeOptions} and sent.
   *
   * @param streamId the stream, non-empty, at most 255 UTF-8 bytes; the record key
   * @param frameNumber the frame's position in its stream, 0 or more; with the stream id, what
   *     makes a duplicate detectable downstream
   * @param ptsMicros presentation timestamp in microseconds
   * @param frame BGR, RGB or GRAY pixels; read later by an encoder thread (see the class notes)
   * @return {@code true} if queued; {@code false} if the {@link OverflowPolicy} refused it
   *     ({@code REJECT}, or {@code BLOCK} interrupted)
   * @throws IllegalStateException after {@link #close()}
   */
  public boolean submit(String streamId, long frameNumber, long ptsMicros, Frame frame) {
    checkTags(streamId, frameNumber);
    Objects.requireNonNull(frame, "frame");
    ensureOpen();
    return batcher.submit(streamId, ptsMicros,
        new Pending(streamId, frameNumber, ptsMicros, frame, null));
  }

  /**
   * Queues an already encoded frame to be sent as it is. It must carry a stream id and a frame
   * number ({@link EncodedFrame#inStream}); its timestamp, if any, is the pts.
   *
   * @return as {@link #submit}
   * @throws IllegalArgumentException when the stream id or frame number is missing
   * @param frame the encoded frame, with a stream id and a frame number
   */
  public boolean send(EncodedFrame frame) {
    Objects.requireNonNull(frame, "frame");
    String id = frame.streamId().orElseThrow(() -> new IllegalArgumentException(
        "an encoded frame sent to Kafka needs a stream id (the record key): " + frame));
    long n = frame.frameNumber().orElseThrow(() -> new IllegalArgumentException(
        "an encoded frame sent to Kafka needs a frame number: " + frame));
    ensureOpen();
    return batcher.submit(id, frame.timestampMicros().orElse(0),
        new Pending(id, n, frame.timestampMicros().orElse(0), null, frame));
  }

  /**
   * Waits until every frame submitted before this call has been encoded and acknowledged by the
   * broker, or has failed. While the broker is away it waits for it to come back.
   *
   * @throws InterruptedException if interrupted; the frames keep going
   */
  public void flush() throws InterruptedException {
    ensureOpen();
    batcher.flush();
    producer.flush();
  }

  /** {@return the counters now; see {@link FrameProducerStats} for how they add up} */
  public FrameProducerStats stats() {
    return new FrameProducerStats(batcher.stats(), encodeFailures.get(), sent.get(), acked.get(),
        ackedBytes.get(), sendFailures.get(), unsent.get(), blockedSends.get());
  }

  /** {@return the frames topic} */
  public String topic() {
    return topic;
  }

  /** {@return how raw frames are encoded} */
  public EncodeOptions encodeOptions() {
    return encodeOptions;
  }

  /**
   * Sends what is queued and waits for the broker up to the close timeout (default 30 s); frames
   * still waiting for an absent broker then are counted as {@link FrameProducerStats#unsent()}
   * or {@link FrameProducerStats#sendFailures()}. Closes the Kafka client and the encoder threads.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    // The batcher's thread gives up on an absent broker at the deadline, so close() is bounded.
    giveUpAtNanos = deadline;
    try {
      batcher.close();
      producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } finally {
      encoders.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("frame producer for topic " + topic + " is closed");
    }
  }

  private static void checkTags(String streamId, long frameNumber) {
    Objects.requireNonNull(streamId, "streamId");
    if (streamId.isEmpty()) {
      throw new IllegalArgumentException("stream id must not be empty: it is the record key");
    }
    if (frameNumber < 0) {
      throw new IllegalArgumentException("frame number must be 0 or more, got " + frameNumber);
    }
  }

  /** The batcher's consumer: encode the raw frames of the batch in parallel, send all in order. */
  private void encodeAndSend(Batch<Pending> batch) {
    List<Frame> raw = new ArrayList<>();
    for (BatchItem<Pending> item : batch.items()) {
      if (item.value().raw() != null) {
        raw.add(item.value().raw());
      }
    }
    BatchResult<EncodedFrame> encoded = raw.isEmpty() ? null : encoders.encode(raw, encodeOptions);
    int r = 0;
    for (BatchItem<Pending> item : batch.items()) {
      Pending p = item.value();
      EncodedFrame frame;
      if (p.raw() == null) {
        frame = p.encoded();
      } else {
        int index = r++;
        if (!encoded.isOk(index)) {
          encodeFailures.incrementAndGet();
          LOG.log(System.Logger.Level.WARNING, "frame " + p.frameNumber() + " of stream "
              + p.streamId() + " could not be encoded; not sent", encoded.error(index).get());
          continue;
        }
        try {
          frame = encoded.get(index).inStream(p.streamId(), p.frameNumber(), p.ptsMicros());
        } catch (IllegalArgumentException e) {
          // A stream id over 255 UTF-8 bytes: the container cannot carry it.
          encodeFailures.incrementAndGet();
          LOG.log(System.Logger.Level.WARNING, "frame " + p.frameNumber() + " not sent", e);
          continue;
        }
      }
      sendOne(frame, p.streamId());
    }
  }

  /**
   * Hands one record to the client. A send that waited {@code max.block.ms} for buffer space or
   * metadata fails on this thread before it returns; it is tried again, so the frame stays in
   * order and the queue behind it fills, which is what applies the overflow policy upstream.
   */
  private void sendOne(EncodedFrame frame, String key) {
    int bytes = frame.payloadLength();
    while (true) {
      if (System.nanoTime() - giveUpAtNanos >= 0) {
        // close() ran out of time with the broker still away: count the rest, don't wait on each.
        unsent.incrementAndGet();
        return;
      }
      Delivery d = new Delivery(bytes);
      try {
        // A new record per attempt: the client seals a record's headers once it has seen it.
        producer.send(new ProducerRecord<>(topic, key, frame), d);
      } catch (RuntimeException e) {
        // Closed underneath us, or a serializer/config error: the frame cannot go.
        sendFailures.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "cannot send frame to " + topic, e);
        return;
      }
      if (!d.timedOutOnCaller) {
        sent.incrementAndGet();
        return;
      }
      blockedSends.incrementAndGet();
    }
  }

  /** Accounts one record; tells a buffer/metadata timeout on the sending thread from a delivery result. */
  private final class Delivery implements Callback {
    private final Thread caller = Thread.currentThread();
    private final int bytes;
    boolean timedOutOnCaller;

    Delivery(int bytes) {
      this.bytes = bytes;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
      if (e instanceof TimeoutException && Thread.currentThread() == caller) {
        // Never appended: KafkaProducer reports a max.block.ms timeout through the callback,
        // on the calling thread, before send() returns.
        timedOutOnCaller = true;
        return;
      }
      if (e == null) {
        acked.incrementAndGet();
        ackedBytes.addAndGet(bytes);
      } else {
        sendFailures.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "a frame record to " + topic + " failed", e);
      }
    }
  }

  /** Fails fast on a missing topic or unreachable broker instead of blocking every send. */
  static void awaitTopic(Producer<?, ?> producer, String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last;
    do {
      try {
        if (!producer.partitionsFor(topic).isEmpty()) {
          return;
        }
        last = null;
      } catch (TimeoutException e) {
        last = e;
      } catch (KafkaException e) {
        throw new KafkaPipelineException("cannot look up topic " + topic + ": " + e.getMessage(), e);
      }
    } while (System.nanoTime() - deadline < 0);
    throw new KafkaPipelineException("topic " + topic + " was not found within " + timeout.toMillis()
        + " ms: create it, or check bootstrap.servers", last);
  }

  /**
   * Configures a {@link FrameProducer}; values are checked here with the bad value in the
   * message. Not thread-safe.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String topic;
    private EncodeOptions encodeOptions;
    private CodecBackend backend = CodecBackend.TURBOJPEG;
    private int encodeThreads = Runtime.getRuntime().availableProcessors();
    private int batchSize = 0;
    private Duration maxDelay = Duration.ofMillis(2);
    private int queueCapacity;
    private OverflowPolicy policy = OverflowPolicy.BLOCK;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private final ClientProperties properties =
        ClientProperties.producer(": keys are stream ids, values raw containers");

    private Builder() {}

    /**
     * {@code host:port[,host:port...]} of the brokers; required.
     *
     * @param servers host:port[,host:port...] of the brokers
     * @return this builder
     */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = KafkaSettings.checkBootstrap(servers);
      return this;
    }

    /**
     * The frames topic; required. It must exist: the producer checks at build time.
     *
     * @param topic the frames topic
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = KafkaSettings.checkTopic("topic", topic);
      return this;
    }

    /**
     * How raw frames are encoded; required. docs/benchmarks.md recommends {@code ycbcr} 4:2:0 at
     * low quality where both ends are FrameCodec, and {@code cv2-yuv} for Python peers.
     * @param options the encoding of raw frames
     * @return this builder
     */
    public Builder encodeOptions(EncodeOptions options) {
      this.encodeOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The JPEG engine of the encoder threads; default TurboJPEG.
     *
     * @param backend the JPEG engine
     * @return this builder
     */
    public Builder backend(CodecBackend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Encoder threads, 1..1024; default one per core.
     *
     * @param threads the number of encoder threads
     * @return this builder
     */
    public Builder encodeThreads(int threads) {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("encodeThreads must be 1..1024, got " + threads);
      }
      this.encodeThreads = threads;
      return this;
    }

    /**
     * Frames encoded together, across the threads; default twice the encoder threads.
     *
     * @param frames frames per encode batch, 1..4096
     * @return this builder
     */
    public Builder batchSize(int frames) {
      if (frames < 1 || frames > 4096) {
        throw new IllegalArgumentException("batchSize must be 1..4096, got " + frames);
      }
      this.batchSize = frames;
      return this;
    }

    /**
     * Longest a frame waits for its encode batch to fill; default 2 ms.
     *
     * @param delay the longest wait, zero or more
     * @return this builder
     */
    public Builder maxDelay(Duration delay) {
      this.maxDelay = KafkaSettings.notNegative("maxDelay", delay);
      return this;
    }

    /**
     * Most frames waiting to be encoded and sent; default 4 x the batch size.
     *
     * @param frames the most frames waiting, at least the batch size
     * @return this builder
     */
    public Builder queueCapacity(int frames) {
      if (frames < 1) {
        throw new IllegalArgumentException("queueCapacity must be positive, got " + frames);
      }
      this.queueCapacity = frames;
      return this;
    }

    /**
     * What a full queue does; default {@link OverflowPolicy#BLOCK}. Live sources want {@code DROP_OLDEST}.
     *
     * @param policy the overflow policy
     * @return this builder
     */
    public Builder overflowPolicy(OverflowPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * How long {@link #build()} waits for the broker to show the topic; default 30 s.
     *
     * @param timeout the time limit, positive
     * @return this builder
     */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = KafkaSettings.positive("startupTimeout", timeout);
      return this;
    }

    /**
     * How long {@link FrameProducer#close()} waits for the broker; default 30 s.
     *
     * @param timeout the time limit, positive
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = KafkaSettings.positive("closeTimeout", timeout);
      return this;
    }

    /**
     * A Kafka producer property, applied over this class's settings (for example security
     * settings, {@code buffer.memory}, {@code max.request.size}). The serializers are fixed.
     * @param key the Kafka producer property name
     * @param value its value
     * @return this builder
     */
    public Builder property(String key, Object value) {
      properties.set(key, value);
      return this;
    }

    /**
     * Connects, checks that the topic exists (up to the startup timeout) and starts the encoder
     * and sender threads.
     *
     * @throws KafkaPipelineException when the topic cannot be found in time
     * @return the running producer
     */
    public FrameProducer build() {
      KafkaSettings.required(bootstrapServers, "bootstrapServers");
      KafkaSettings.required(topic, "topic");
      KafkaSettings.required(encodeOptions, "encodeOptions");
      if (batchSize == 0) {
        batchSize = Math.min(4096, 2 * encodeThreads);
      }
      if (queueCapacity > 0 && queueCapacity < batchSize) {
        throw new IllegalArgumentException("queueCapacity " + queueCapacity
            + " is less than the batch size " + batchSize);
      }
      Map<String, Object> props = properties.resolve(
          bootstrapServers, "framecodec-producer-" + (IDS.get() + 1), DEFAULTS);
      Producer<String, EncodedFrame> producer =
          new KafkaProducer<>(props, new StringSerializer(), new EncodedFrameSerializer());
      return new FrameProducer(this, producer);
    }
  }

  @Override
  public String toString() {
    return "FrameProducer{topic " + topic + ", " + encodeOptions + ", " + batcher + "}";
  }
}
