package org.framecodec.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.framecodec.FrameFormatException;

/**
 * Reads the detections of one stream back from a results topic, in the order the workers wrote
 * them, which is frame order, each frame once.
 *
 * <p>A stream's results all sit on one partition (the record key is the stream id, placed by
 * Kafka's default partitioner), so the reader assigns itself that partition alone, without a
 * consumer group, and skips the other streams that share it. A result seen again (the same
 * frame number: a worker failed after writing it and the frame was processed again, see {@link
 * DetectionWorker}) is dropped and counted in {@link #duplicates()}. A record that is not a
 * valid result is skipped and counted in {@link #malformed()}.
 *
 * <pre>{@code
 * try (DetectionResultReader reader = DetectionResultReader.builder()
 *     .bootstrapServers("kafka:9092").topic("detections").streamId("cam-7").build()) {
 *   for (DetectionResult r : reader.poll(Duration.ofSeconds(1))) {
 *     System.out.println(r.frameNumber() + ": " + r.detections().size() + " faces");
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe (a Kafka consumer is not): use it from one thread. {@link #close()} is
 * idempotent.
 */
public final class DetectionResultReader implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  /** Frame numbers remembered for de-duplication; older duplicates than this are not expected. */
  static final int DEDUP_WINDOW = 1 << 17;

  private final String streamId;
  private final TopicPartition partition;
  private final Consumer<String, byte[]> consumer;
  /** Frame numbers delivered, newest {@link #DEDUP_WINDOW}; at or below {@code floor} counts as seen. */
  private final TreeSet<Long> seen = new TreeSet<>();
  private long floor = -1;
  private long duplicates;
  private long malformed;
  private boolean closed;

  /** Where a new reader starts. */
  public enum Start {
    /** The oldest result the topic still holds. */
    EARLIEST,
    /** Only results written after the reader started. */
    LATEST
  }

  private DetectionResultReader(Builder b) {
    this.streamId = b.streamId;
    Map<String, Object> c = b.properties.resolve(b.bootstrapServers,
        "framecodec-results-" + IDS.incrementAndGet(),
        Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20));
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      int partitions = partitionCount(b.topic, b.startupTimeout);
      this.partition = new TopicPartition(b.topic, partitionFor(streamId, partitions));
      consumer.assign(List.of(partition));
      if (b.start == Start.EARLIEST) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition, b.startupTimeout);
      }
    } catch (RuntimeException | Error e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** {@return a new builder; bootstrap servers, topic and stream id are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The partition Kafka's default partitioner gives records with key {@code streamId} in a topic
   * of {@code partitions} partitions: murmur2 of the UTF-8 key, made positive, modulo the count.
   * @param streamId the stream id
   * @param partitions the number of partitions, at least 1
   * @return the partition index, 0 to partitions - 1
   */
  public static int partitionFor(String streamId, int partitions) {
    Objects.requireNonNull(streamId, "streamId");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive, got " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** {@return the stream this reader follows} */
  public String streamId() {
    return streamId;
  }

  /** {@return the results-topic partition holding the stream} */
  public TopicPartition partition() {
    return partition;
  }

  /**
   * Waits up to {@code timeout} for results and returns the stream's new ones in order (possibly
   * none).
   *
   * @throws IllegalStateException after {@link #close()}
   * @param timeout how long to wait for new records
   * @return the new results of the stream in order, possibly empty
   */
  public List<DetectionResult> poll(Duration timeout) {
    if (closed) {
      throw new IllegalStateException("results reader for stream " + streamId + " is closed");
    }
    List<DetectionResult> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (!streamId.equals(r.key())) {
        continue;
      }
      DetectionResult result;
      try {
        result = ResultRecords.fromRecord(r);
      } catch (FrameFormatException e) {
        malformed++;
        continue;
      }
      if (!firstTime(result.frameNumber())) {
        duplicates++;
        continue;
      }
      out.add(result);
    }
    return out;
  }

  /** {@return results dropped because their frame had been delivered already} */
  public long duplicates() {
    return duplicates;
  }

  /** {@return records with this stream's key that were not valid results} */
  public long malformed() {
    return malformed;
  }

  /** {@return the reader's position in its partition: the offset of the next record to read} */
  public long position() {
    return consumer.position(partition);
  }

  private boolean firstTime(long frameNumber) {
    if (frameNumber <= floor || !seen.add(frameNumber)) {
      return false;
    }
    if (seen.size() > DEDUP_WINDOW) {
      floor = seen.pollFirst();
    }
    return true;
  }

  private int partitionCount(String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    KafkaException last = null;
    do {
      try {
        List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(1));
        if (info != null && !info.isEmpty()) {
          return info.size();
        }
      } catch (TimeoutException e) {
        last = e;
      }
    } while (System.nanoTime() - deadline < 0);
    throw new KafkaPipelineException("results topic " + topic + " was not found within "
        + timeout.toMillis() + " ms", last);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      consumer.close();
    }
  }

  /** Configures a {@link DetectionResultReader}. Not thread-safe. */
  public static final class Builder {
    private String bootstrapServers;
    private String topic;
    private String streamId;
    private Start start = Start.EARLIEST;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private final ClientProperties properties = ClientProperties.consumer();

    private Builder() {}

    /**
     * {@code host:port[,host:port...]}; required.
     *
     * @param servers host:port[,host:port...] of the brokers
     * @return this builder
     */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = KafkaSettings.checkBootstrap(servers);
      return this;
    }

    /**
     * The results topic; required.
     *
     * @param topic the topic name
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = KafkaSettings.checkTopic("topic", topic);
      return this;
    }

    /**
     * The stream to read; required.
     *
     * @param streamId the stream id
     * @return this builder
     */
    public Builder streamId(String streamId) {
      Objects.requireNonNull(streamId, "streamId");
      if (streamId.isEmpty()) {
        throw new IllegalArgumentException("streamId must not be empty");
      }
      this.streamId = streamId;
      return this;
    }

    /**
     * Where to start; default {@link Start#EARLIEST}.
     *
     * @param start where to begin
     * @return this builder
     */
    public Builder start(Start start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /**
     * How long {@link #build()} waits for the topic's metadata; default 30 s.
     *
     * @param timeout the time limit, positive
     * @return this builder
     */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = KafkaSettings.positive("startupTimeout", timeout);
      return this;
    }

    /**
     * A Kafka consumer property (security settings, for example); the deserializers are fixed.
     *
     * @param key the Kafka consumer property name
     * @param value its value
     * @return this builder
     */
    public Builder property(String key, Object value) {
      properties.set(key, value);
      return this;
    }

    /**
     * Connects, finds the stream's partition and positions the reader.
     *
     * @throws KafkaPipelineException when the topic cannot be found in time
     * @return the reader, positioned
     */
    public DetectionResultReader build() {
      KafkaSettings.required(bootstrapServers, "bootstrapServers");
      KafkaSettings.required(topic, "topic");
      KafkaSettings.required(streamId, "streamId");
      return new DetectionResultReader(this);
    }
  }

  @Override
  public String toString() {
    return "DetectionResultReader{stream " + streamId + " on " + partition + "}";
  }
}
