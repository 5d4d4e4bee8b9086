package org.framecodec.bench.kafka;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.framecodec.codec.BatchResult;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.frames.Frame;
import org.framecodec.kafka.DetectionWorker;
import org.framecodec.kafka.DetectionWorkerStats;
import org.framecodec.kafka.EncodedFrameDeserializer;
import org.framecodec.kafka.FrameHeaders;
import org.framecodec.kafka.FrameProducer;
import org.framecodec.kafka.FrameProducerStats;

/**
 * {@code framecodec kafka bench}: what a Kafka pipeline of 1080p frames sustains on one machine,
 * and what limits it. Each stage is measured alone and then chained, side by side in one run:
 *
 * <ol>
 *   <li><b>encode</b>: {@link ParallelBatchCodec} alone, raw 1080p BGR to {@code cv2-yuv} JPEG;
 *   <li><b>transport</b>: already encoded frames through {@link FrameProducer#send} to the broker
 *       and back out through a consumer that reads and CRC-checks each record: frames/s and MB/s
 *       through produce, broker and consume;
 *   <li><b>hop</b>: the same at 50 frames/s, one 1080p50 stream's worth: the time from {@code
 *       send} to the consumer, which is what Kafka alone adds to a frame's latency;
 *   <li><b>detect</b>: the detector alone on the same payloads (decode, pre-process, infer);
 *   <li><b>pipeline</b>: raw frames into {@link FrameProducer} (encode), broker, one {@link
 *       DetectionWorker}, results topic, read back, as fast as the producer can push;
 *   <li><b>latency</b>: the same chain paced at a fraction of the pipeline's rate, spread over the
 *       streams; produce-to-result latency (from {@code submit} to the result read back) p50 and
 *       p99, with the worker's batching wait beside it.
 * </ol>
 *
 * <p>The broker is whatever {@code --bootstrap} names (codec-bench/bin/kafka-broker.sh starts a
 * real one on loopback); with {@code --broker-pid} its CPU time per phase is read from /proc.
 * Topics are made per phase and deleted afterwards. The frames are the bundled 1080p
 * photographs, cycled. Figures and how to read them: docs/scaling.md.
 */
public final class KafkaBenchmark {
  /** Every phase, in run order. */
  public static final List<String> PHASES =
      List.of("encode", "transport", "hop", "detect", "pipeline", "latency");
  /** The hop phase's rate: one 1080p50 stream's worth of frames, spread over the streams. */
  private static final double HOP_RATE = 50;

  /** Unmeasured time at the start of each phase through the broker (JIT, connections, group join). */
  private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(5);

  private KafkaBenchmark() {}

  /**
   * The benchmark's settings.
   *
   * @param bootstrap the broker, {@code host:port}
   * @param frames the 1080p BGR frames to cycle through
   * @param model the detector model (BlazeFace front)
   * @param device the detector's device
   * @param seconds measured seconds per phase
   * @param streams streams the frames are spread over (one key each)
   * @param partitions partitions of the frames topics
   * @param quality JPEG quality of the {@code cv2-yuv} payloads
   * @param encodeThreads encoder threads of the producer and the encode phase
   * @param batch detector batch size (worker and detect phase)
   * @param latencyLoad the latency phase's rate as a fraction of the pipeline phase's
   * @param brokerPid the broker's process id for its CPU time, or 0
   * @param phases which phases to run
   */
  public record Options(String bootstrap, List<Frame> frames, Path model, DnnDevice device,
      int seconds, int streams, int partitions, int quality, int encodeThreads, int batch,
      double latencyLoad, long brokerPid, Set<String> phases) {}

  /** One row of the report. */
  private record Row(String phase, double framesPerSecond, double megabytesPerSecond,
      double clientCpuPerFrameMs, double brokerCpuPerFrameMs, String note) {}

  /** Runs the phases and prints the report; returns 0. */
  public static int run(Options o, PrintWriter out, PrintWriter err) throws Exception {
    EncodeOptions encode = EncodeOptions.cv2Yuv(o.quality());
    List<EncodedFrame> payloads = encodeAll(o.frames(), encode);
    long bytes = payloads.stream().mapToLong(EncodedFrame::payloadLength).sum();
    out.printf(Locale.ROOT, "framecodec kafka bench: %d x %dx%d frames, cv2-yuv q%d, mean payload %,d B;"
        + " %d streams over %d partitions; %d s per phase; broker %s; %d cores here%n",
        o.frames().size(), o.frames().get(0).width(), o.frames().get(0).height(), o.quality(),
        bytes / payloads.size(), o.streams(), o.partitions(), o.seconds(), o.bootstrap(),
        Runtime.getRuntime().availableProcessors());
    Map<String, Row> rows = new LinkedHashMap<>();
    if (o.phases().contains("encode")) {
      rows.put("encode", encodePhase(o, encode, bytes / payloads.size()));
      progress(err, rows.get("encode"));
    }
    if (o.phases().contains("transport")) {
      rows.put("transport", transportPhase(o, payloads, 0));
      progress(err, rows.get("transport"));
    }
    if (o.phases().contains("hop")) {
      rows.put("hop", transportPhase(o, payloads, HOP_RATE));
      progress(err, rows.get("hop"));
    }
    if (o.phases().contains("detect")) {
      rows.put("detect", detectPhase(o, payloads));
      progress(err, rows.get("detect"));
    }
    double pipelineRate = 0;
    if (o.phases().contains("pipeline")) {
      Row r = pipelinePhase(o, encode, 0, bytes / payloads.size(), err);
      rows.put("pipeline", r);
      pipelineRate = r.framesPerSecond();
      progress(err, r);
    }
    if (o.phases().contains("latency")) {
      double rate = pipelineRate > 0 ? pipelineRate * o.latencyLoad() : 10;
      rows.put("latency", pipelinePhase(o, encode, rate, bytes / payloads.size(), err));
      progress(err, rows.get("latency"));
    }
    out.println();
    out.println("| phase | frames/s | MB/s | client CPU ms/frame | broker CPU ms/frame | notes |");
    out.println("|---|---|---|---|---|---|");
    for (Row r : rows.values()) {
      out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %s | %s |%n", r.phase(), r.framesPerSecond(),
          r.megabytesPerSecond(), r.clientCpuPerFrameMs(),
          r.brokerCpuPerFrameMs() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.brokerCpuPerFrameMs()),
          r.note());
    }
    String slowest = rows.values().stream()
        .filter(r -> Set.of("encode", "transport", "detect").contains(r.phase()))
        .min((a, b) -> Double.compare(a.framesPerSecond(), b.framesPerSecond()))
        .map(Row::phase).orElse("-");
    out.printf("%nslowest stage alone: %s%n", slowest);
    out.flush();
    return 0;
  }

  private static void progress(PrintWriter err, Row r) {
    err.printf(Locale.ROOT, "kafka bench: %s %.1f frames/s (%s)%n", r.phase(), r.framesPerSecond(), r.note());
    err.flush();
  }

  private static List<EncodedFrame> encodeAll(List<Frame> frames, EncodeOptions encode) {
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(1).build()) {
      BatchResult<EncodedFrame> r = codec.encode(frames, encode);
      List<EncodedFrame> out = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        out.add(r.get(i));
      }
      return out;
    }
  }

  // ---------------------------------------------------------------- stages alone

  private static Row encodePhase(Options o, EncodeOptions encode, long meanPayload) {
    List<Frame> batch = new ArrayList<>();
    for (int i = 0; i < 2 * o.encodeThreads(); i++) {
      batch.add(o.frames().get(i % o.frames().size()));
    }
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(o.encodeThreads()).build()) {
      runFor(Duration.ofSeconds(1), () -> codec.encode(batch, encode));
      Meter m = new Meter(o);
      long n = runFor(Duration.ofSeconds(o.seconds()), () -> codec.encode(batch, encode)) * batch.size();
      return m.row("encode", n, n * meanPayload, o.encodeThreads() + " threads, raw BGR to JPEG, no Kafka");
    }
  }

  private static Row detectPhase(Options o, List<EncodedFrame> payloads) {
    List<EncodedFrame> batch = new ArrayList<>();
    for (int i = 0; i < o.batch(); i++) {
      batch.add(payloads.get(i % payloads.size()));
    }
    try (Detector d = openDetector(o)) {
      runFor(Duration.ofSeconds(2), () -> d.detectEncoded(batch));
      Meter m = new Meter(o);
      long n = runFor(Duration.ofSeconds(o.seconds()), () -> d.detectEncoded(batch)) * batch.size();
      long mean = payloads.stream().mapToLong(EncodedFrame::payloadLength).sum() / payloads.size();
      return m.row("detect", n, n * mean, "batch " + o.batch() + " on " + o.device().name().toLowerCase(Locale.ROOT)
          + ", decode + pre-process + infer, no Kafka");
    }
  }

  /** Runs {@code r} repeatedly for {@code d}; returns how many times. */
  private static long runFor(Duration d, Runnable r) {
    long end = System.nanoTime() + d.toNanos();
    long n = 0;
    while (System.nanoTime() - end < 0) {
      r.run();
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- through the broker

  /**
   * Already encoded frames through the broker and back. With {@code rate} 0 the producer sends as
   * fast as it can (throughput); otherwise at {@code rate} frames/s in total, and each frame's
   * time from {@code send} to the consumer's poll is recorded (what Kafka alone adds to latency).
   */
  private static Row transportPhase(Options o, List<EncodedFrame> payloads, double rate)
      throws Exception {
    String phase = rate > 0 ? "hop" : "transport";
    String topic = "fc-bench-" + phase + "-" + System.currentTimeMillis();
    KafkaTopics.create(o.bootstrap(), Map.of(topic, o.partitions()), (short) 1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong consumed = new AtomicLong();
    AtomicLong consumedBytes = new AtomicLong();
    AtomicLong lastArrival = new AtomicLong();
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    Thread reader = new Thread(() -> {
      EncodedFrameDeserializer frames = new EncodedFrameDeserializer();
      try (KafkaConsumer<String, byte[]> c = consumer(o.bootstrap())) {
        List<TopicPartition> parts = partitions(c, topic);
        c.assign(parts);
        c.seekToBeginning(parts);
        while (!stop.get()) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
            EncodedFrame f = frames.deserialize(r.topic(), r.headers(), r.value());
            Long t0 = sentAt.remove(key(Integer.parseInt(r.key().substring("stream-".length())),
                f.frameNumber().getAsLong()));
            if (t0 != null && t0 - warmupEnd > 0) {
              latencies.add(System.nanoTime() - t0);
            }
            consumedBytes.addAndGet(r.value().length);
            consumed.incrementAndGet();
            lastArrival.set(System.nanoTime());
            if (f.payloadLength() == 0) {
              throw new IllegalStateException("empty frame");
            }
          }
        }
      }
    }, "kafka-bench-reader");
    reader.start();
    try (FrameProducer producer = producer(o, topic, EncodeOptions.cv2Yuv(o.quality()))) {
      long windowStart = warmupEnd;
      long end = windowStart + TimeUnit.SECONDS.toNanos(o.seconds());
      long[] next = new long[o.streams()];
      long interval = rate > 0 ? (long) (1e9 / rate) : 0;
      long nextAt = System.nanoTime();
      Meter m = null;
      long consumed0 = 0;
      long bytes0 = 0;
      long acked0 = 0;
      int i = 0;
      while (System.nanoTime() - end < 0) {
        if (m == null && System.nanoTime() - windowStart >= 0) {
          m = new Meter(o);
          consumed0 = consumed.get();
          bytes0 = consumedBytes.get();
          acked0 = producer.stats().acked();
        }
        int s = i % o.streams();
        EncodedFrame f = payloads.get(i % payloads.size());
        if (rate > 0) {
          long wait = nextAt - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          nextAt += interval;
        }
        long n = next[s]++;
        sentAt.put(key(s, n), System.nanoTime());
        producer.send(f.inStream("stream-" + s, n, n * 20_000));
        i++;
      }
      long frames = consumed.get() - consumed0;
      long bytes = consumedBytes.get() - bytes0;
      long acked = producer.stats().acked() - acked0;
      double seconds = (System.nanoTime() - windowStart) / 1e9;
      double[] lat = sorted(latencies);
      String note = rate > 0
          ? String.format(Locale.ROOT, "paced at %.0f frames/s over %d streams: send to consumer p50"
              + " %.1f ms, p99 %.1f ms (%d frames)", rate, o.streams(), pct(lat, 50) / 1e6,
              pct(lat, 99) / 1e6, lat.length)
          : String.format(Locale.ROOT, "read back and CRC-checked by a consumer; producer acked %.1f"
              + " frames/s in the same %.0f s; it waited for buffer space %d times", acked / seconds,
              seconds, producer.stats().blockedSends());
      Row row = m.row(phase, frames, bytes, seconds, note);
      producer.flush();
      FrameProducerStats ps = producer.stats();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (consumed.get() < ps.acked() && System.nanoTime() - deadline < 0) {
        Thread.sleep(20);
      }
      if (consumed.get() != ps.acked()) {
        throw new IllegalStateException("the consumer read " + consumed.get() + " of "
            + ps.acked() + " acknowledged frames");
      }
      return row;
    } finally {
      stop.set(true);
      KafkaTopics.deleteQuietly(o.bootstrap(), Set.of(topic));
    }
  }

  /**
   * Raw frames through the whole chain. With {@code rate} 0 the producer pushes as fast as it
   * can and the result rate is measured; otherwise frames are paced at {@code rate} frames/s in
   * total and each frame's produce-to-result latency is recorded.
   */
  private static Row pipelinePhase(Options o, EncodeOptions encode, double rate, long meanPayload,
      PrintWriter err) throws Exception {
    String phase = rate > 0 ? "latency" : "pipeline";
    String prefix = "fc-bench-" + phase + "-" + System.currentTimeMillis();
    String frames = prefix + "-frames";
    String results = prefix + "-results";
    String dlt = prefix + "-frames.dlt";
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(frames, o.partitions());
    topics.put(results, o.partitions());
    topics.put(dlt, 1);
    KafkaTopics.create(o.bootstrap(), topics, (short) 1);
    Map<Long, Long> submitted = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong resultCount = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    AtomicLong measuredResults = new AtomicLong();
    Thread reader = new Thread(() -> {
      try (KafkaConsumer<String, byte[]> c = consumer(o.bootstrap())) {
        List<TopicPartition> parts = partitions(c, results);
        c.assign(parts);
        c.seekToBeginning(parts);
        while (!stop.get()) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
            long now = System.nanoTime();
            resultCount.incrementAndGet();
            String stream = FrameHeaders.text(r.headers(), FrameHeaders.STREAM).orElse("stream-0");
            long frame = FrameHeaders.number(r.headers(), FrameHeaders.FRAME).orElse(-1);
            Long t0 = submitted.remove(key(Integer.parseInt(stream.substring("stream-".length())), frame));
            if (now - warmupEnd > 0 && !stop.get()) {
              measuredResults.incrementAndGet();
              if (t0 != null && t0 - warmupEnd > 0) {
                latencies.add(now - t0);
              }
            }
          }
        }
      }
    }, "kafka-bench-results");
    reader.start();
    try (Detector detector = openDetector(o);
        FrameProducer producer = producer(o, frames, encode)) {
      DetectionWorker worker = DetectionWorker.builder().bootstrapServers(o.bootstrap())
          .framesTopic(frames).resultsTopic(results).deadLetterTopic(dlt).groupId(prefix)
          .detector(detector).maxBatchSize(o.batch()).maxDelay(Duration.ofMillis(20)).build();
      try {
        Meter m = null;
        long start = System.nanoTime();
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(o.seconds());
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        long nextAt = start;
        long[] next = new long[o.streams()];
        int i = 0;
        while (System.nanoTime() - end < 0) {
          if (m == null && System.nanoTime() - warmupEnd >= 0) {
            m = new Meter(o);
          }
          int s = i % o.streams();
          long n = next[s]++;
          Frame f = o.frames().get(i % o.frames().size());
          if (rate > 0) {
            long wait = nextAt - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
            nextAt += interval;
          } else if (producer.stats().acked() - resultCount.get() > 8L * o.batch()) {
            // Pushing far ahead of the detector only grows the backlog and takes CPU from it;
            // the rate is set by the slowest stage either way.
            Thread.sleep(5);
            next[s]--;
            continue;
          }
          submitted.put(key(s, n), System.nanoTime());
          producer.submit("stream-" + s, n, n * 20_000, f);
          i++;
        }
        long stopAt = System.nanoTime();
        stop.set(true);
        reader.join(10_000);
        DetectionWorkerStats ws = worker.stats();
        double seconds = (stopAt - warmupEnd) / 1e9;
        long count = measuredResults.get();
        double[] lat = sorted(latencies);
        String note;
        if (rate > 0) {
          note = String.format(Locale.ROOT, "paced at %.1f frames/s (%.0f%% of the pipeline rate) over %d"
              + " streams: produce-to-result p50 %.0f ms, p99 %.0f ms (%d frames); worker batch"
              + " wait p50 %.0f ms, p99 %.0f ms", rate, 100 * o.latencyLoad(), o.streams(),
              pct(lat, 50) / 1e6, pct(lat, 99) / 1e6, lat.length,
              ws.batcher().waitP50Nanos() / 1e6, ws.batcher().waitP99Nanos() / 1e6);
        } else {
          note = String.format(Locale.ROOT, "raw frames in, results out, 1 worker (batch %d); %d results in"
              + " %.1f s after the warm-up", o.batch(), count, seconds);
        }
        if (m == null) {
          m = new Meter(o);
        }
        Row r = m.row(phase, count, count * meanPayload, seconds, note);
        err.printf("kafka bench: %s worker %s; producer %s%n", phase, ws, producer.stats());
        return r;
      } finally {
        worker.close();
      }
    } finally {
      stop.set(true);
      KafkaTopics.deleteQuietly(o.bootstrap(), new LinkedHashSet<>(topics.keySet()));
    }
  }

  /** A sorted copy of a list another thread may still be adding to. */
  private static double[] sorted(List<Long> values) {
    synchronized (values) {
      return values.stream().mapToDouble(Long::doubleValue).sorted().toArray();
    }
  }

  private static long key(int stream, long frame) {
    return stream * 1_000_000_000L + frame;
  }

  private static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, i)];
  }

  private static FrameProducer producer(Options o, String topic, EncodeOptions encode) {
    return FrameProducer.builder().bootstrapServers(o.bootstrap()).topic(topic)
        .encodeOptions(encode).encodeThreads(o.encodeThreads()).build();
  }

  private static Detector openDetector(Options o) {
    return Detector.open(DetectorOptions.blazeFace(o.model()).toBuilder().device(o.device())
        .maxBatch(Math.max(o.batch(), 1)).build());
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false",
        "max.poll.records", 256), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The topic's partitions, waiting for a just-created topic to show in the metadata. */
  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<org.apache.kafka.common.PartitionInfo> info = c.partitionsFor(topic, Duration.ofSeconds(30));
      if (info != null && !info.isEmpty()) {
        return info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("topic " + topic + " has no partitions in the metadata after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** CPU time of this process and the broker's over a phase. */
  private static final class Meter {
    private final long brokerPid;
    private final long cpu0;
    private final long broker0;
    private final long wall0;

    Meter(Options o) {
      this.brokerPid = o.brokerPid();
      this.cpu0 = processCpuNanos();
      this.broker0 = brokerCpuNanos(brokerPid);
      this.wall0 = System.nanoTime();
    }

    /** A row whose rate is over the wall time since this meter was made. */
    Row row(String phase, double frames, long bytes, String note) {
      return row(phase, frames, bytes, (System.nanoTime() - wall0) / 1e9, note);
    }

    /** A row whose rate is over {@code seconds}; CPU figures are over the meter's whole life. */
    Row row(String phase, double frames, long bytes, double seconds, String note) {
      double cpuMs = (processCpuNanos() - cpu0) / 1e6;
      double brokerMs = (brokerCpuNanos(brokerPid) - broker0) / 1e6;
      return new Row(phase, frames / seconds, bytes / seconds / 1e6, frames > 0 ? cpuMs / frames : 0,
          brokerPid > 0 && frames > 0 ? brokerMs / frames : -1, note);
    }
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
  }

  /** utime + stime of a process from /proc, in nanoseconds (USER_HZ = 100 on Linux). */
  static long brokerCpuNanos(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Splits a comma-separated phase list and checks each name. */
  public static Set<String> phases(String list) {
    Set<String> out = new LinkedHashSet<>(Arrays.asList(list.split(",")));
    for (String p : out) {
      if (!PHASES.contains(p)) {
        throw new IllegalArgumentException("unknown phase '" + p + "'; phases are " + String.join(",", PHASES));
      }
    }
    return out;
  }
}
