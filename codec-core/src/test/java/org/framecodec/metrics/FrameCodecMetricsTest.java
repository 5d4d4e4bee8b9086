package org.framecodec.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.framecodec.CorpusFrames;
import org.framecodec.Limits;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.CodecMonitor;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.frames.Frame;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceHttpException;
import org.framecodec.transport.InferenceResult;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.TransportException;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.Test;

/**
 * The binder on real parts: libjpeg-turbo codecs, a batcher under overload, BlazeFace on the CPU,
 * the Java receiver. Counts must add up exactly and bytes must equal the payloads'.
 */
class FrameCodecMetricsTest {
  private static final int FRAMES = 40;

  private static Path model() {
    return CorpusFrames.frontModel();
  }

  /** {@code n} cv2-yuv q80 payloads of the three 1080p photographs, encoded by {@code codec}. */
  private static List<EncodedFrame> encode(JpegCodec codec, int n) {
    List<EncodedFrame> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Frame f = CorpusFrames.photo(CorpusFrames.PHOTOS.get(i % CorpusFrames.PHOTOS.size()));
      out.add(codec.encodeFrame(f, EncodeOptions.cv2Yuv(80)));
    }
    return out;
  }

  @Test
  void framesInEqualFramesOutPlusDropsAcrossCodecBatcherAndDetector() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    List<EncodedFrame> delivered = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch allSubmitted = new CountDownLatch(1);
    try (FrameCodecMetrics metrics = FrameCodecMetrics.of(registry, Tags.of("app", "test"))) {
      metrics.bindCodecs();
      List<EncodedFrame> payloads;
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        assertEquals(1.0, gauge(registry, "framecodec.codec.open", "backend", "turbojpeg"),
            "the open codec holds one native handle");
        payloads = encode(codec, FRAMES);
      }
      try (Detector detector = metrics.bind(Detector.open(DetectorOptions.blazeFace(model())), "faces")) {
        // The consumer holds its first batch until every frame is offered, so with room for 4
        // waiting items most of the 40 are pushed out: drops are certain, not a matter of timing.
        Batcher<EncodedFrame> batcher = Batcher.<EncodedFrame>builder().maxBatchSize(4)
            .queueCapacity(4).maxDelay(Duration.ofSeconds(30)).overflowPolicy(OverflowPolicy.DROP_OLDEST)
            .dropListener((item, reason) -> { }) // counted by the meters; no log lines
            .consumer(batch -> {
              allSubmitted.await();
              detector.detectEncoded(batch.values());
              delivered.addAll(batch.values());
            }).build();
        metrics.bind(batcher, "ingest");
        for (int i = 0; i < FRAMES; i++) {
          batcher.submit("cam-" + i % 2, i, payloads.get(i));
        }
        allSubmitted.countDown();
        batcher.close();

        double submitted = counter(registry, "framecodec.batcher.items.submitted");
        double out = counter(registry, "framecodec.batcher.items.delivered");
        double dropped = counter(registry, "framecodec.batcher.items.dropped", "reason", "dropped_oldest");
        assertEquals(FRAMES, submitted);
        assertEquals(delivered.size(), out, "delivered meter vs frames the consumer saw");
        assertEquals(submitted, out + dropped, "frames in = frames out + drops");
        assertTrue(dropped >= FRAMES - 8, "at most 4 in flight and 4 waiting got through; dropped " + dropped);
        assertEquals(0, counter(registry, "framecodec.batcher.items.dropped", "reason", "rejected"));
        assertEquals(0.0, gauge(registry, "framecodec.batcher.queue.depth"));
        assertEquals(4.0, gauge(registry, "framecodec.batcher.queue.capacity"));
        var sizes = registry.get("framecodec.batcher.batch.size").summary();
        assertEquals(out, sizes.totalAmount(), "batch sizes add up to the delivered frames");
        double batches = registry.get("framecodec.batcher.batches").functionCounters().stream()
            .mapToDouble(c -> c.count()).sum();
        assertEquals(sizes.count(), (long) batches, "batches by trigger add up to the batches");
        assertEquals(0, counter(registry, "framecodec.batcher.batches", "trigger", "deadline"),
            "no deadline can pass in 30 s of this test");
        assertEquals((long) out, registry.get("framecodec.batcher.wait").timer().count(),
            "one wait per delivered frame");
        assertTrue(registry.get("framecodec.batcher.wait").timer().max(TimeUnit.MILLISECONDS) > 0);

        // The detector ran on exactly the delivered frames, one call per batch, on the CPU.
        assertEquals(out, registry.get("framecodec.detector.images").tag("detector", "faces")
            .tag("target", "cpu").tag("device", "cpu").tag("app", "test").counter().count());
        assertEquals(sizes.count(), registry.get("framecodec.detector.batches").timer().count());
        assertEquals(sizes.count(), registry.get("framecodec.detector.stage").tag("stage", "inference")
            .timer().count());
        assertTrue(registry.get("framecodec.detector.stage").tag("stage", "decode").timer()
            .totalTime(TimeUnit.NANOSECONDS) > 0, "payloads were decoded inside the detector");
        assertEquals(0, registry.find("framecodec.detector.errors").counters().size());

        // Codec meters: every encode, and every decode the detector made, with their bytes.
        long encodedBytes = payloads.stream().mapToLong(EncodedFrame::payloadLength).sum();
        long decodedBytes = delivered.stream().mapToLong(EncodedFrame::payloadLength).sum();
        assertEquals(FRAMES, codecTimer(registry, "framecodec.codec.encode").count());
        assertEquals(encodedBytes, codecCounter(registry, "framecodec.codec.payload.encoded"));
        assertEquals((long) out, codecTimer(registry, "framecodec.codec.decode").count());
        assertEquals(decodedBytes, codecCounter(registry, "framecodec.codec.payload.decoded"));
      }
      assertEquals(0.0, gauge(registry, "framecodec.codec.open", "backend", "turbojpeg"),
          "every codec, the detector's too, freed its handle");
    }
  }

  @Test
  void aFailedDetectorCallIsCountedByItsExceptionType() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (FrameCodecMetrics metrics = FrameCodecMetrics.of(registry);
        Detector detector = metrics.bind(Detector.open(DetectorOptions.blazeFace(model())), "faces")) {
      EncodedFrame garbage = EncodedFrame.builder().payload(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3})
          .size(16, 16).channels(3).mode(org.framecodec.codec.JpegMode.YCBCR).build();
      assertThrows(RuntimeException.class, () -> detector.detectEncoded(List.of(garbage)));
      assertEquals(1, registry.get("framecodec.detector.errors").tag("error", "CorruptPayloadException")
          .counter().count());
      assertEquals(0, registry.get("framecodec.detector.images").counter().count());
    }
  }

  @Test
  void clientCountsRequestsBytesAndErrorsByTypeAgainstTheRealReceiver() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    List<EncodedFrame> payloads;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      payloads = encode(codec, 3);
    }
    try (FrameCodecMetrics metrics = FrameCodecMetrics.of(registry);
        Detector detector = Detector.open(DetectorOptions.blazeFace(model()))) {
      InferenceServer server = InferenceServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          detector, Limits.builder().maxDocumentBytes(64 << 20).build());
      try {
        InferenceClient client = InferenceClient.builder(server.uri()).listener(metrics.client("svc")).build();
        InferenceResult one = client.detect(Framing.JSON, payloads.get(0));
        InferenceResult batch = client.detectBatch(Framing.RAW, payloads);
        assertEquals(1, timer(registry, "json", "success", "none").count());
        assertEquals(1, timer(registry, "raw", "success", "none").count());
        assertEquals(1, clientCounter(registry, "framecodec.client.frames", "json"));
        assertEquals(3, clientCounter(registry, "framecodec.client.frames", "raw"));
        assertEquals(one.requestBytes(), clientCounter(registry, "framecodec.client.sent", "json"));
        assertEquals(one.responseBytes(), clientCounter(registry, "framecodec.client.received", "json"));
        assertEquals(batch.requestBytes(), clientCounter(registry, "framecodec.client.sent", "raw"));
        assertEquals(batch.responseBytes(), clientCounter(registry, "framecodec.client.received", "raw"));

        URI wrongPath = server.uri().resolve("/nowhere");
        InferenceClient lost = InferenceClient.builder(wrongPath).listener(metrics.client("lost")).build();
        assertThrows(InferenceHttpException.class, () -> lost.detect(Framing.JSON, payloads.get(0)));
        assertEquals(1, registry.get("framecodec.client.requests").tag("client", "lost")
            .tag("error", "http_4xx").tag("outcome", "error").timer().count());
        assertTrue(clientCounter(registry, "framecodec.client.sent", "json", "lost")
            > payloads.get(0).payloadLength(), "the service got the body it refused");
      } finally {
        server.close();
      }
      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      InferenceClient refused = InferenceClient.builder(URI.create("http://127.0.0.1:" + closedPort + "/detect"))
          .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5))
          .listener(metrics.client("refused")).build();
      assertThrows(TransportException.class, () -> refused.detect(Framing.RAW, payloads.get(0)));
      assertEquals(1, registry.get("framecodec.client.requests").tag("client", "refused")
          .tag("error", "connect").timer().count());
      assertEquals(0, clientCounter(registry, "framecodec.client.sent", "raw", "refused"),
          "a body that never reached a service is not counted as sent");
    }
  }

  @Test
  void prometheusScrapeShowsTheMetersInExpositionFormat() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (FrameCodecMetrics metrics = FrameCodecMetrics.of(registry)) {
      metrics.bindCodecs();
      Batcher<EncodedFrame> batcher = Batcher.<EncodedFrame>builder().maxBatchSize(2)
          .consumer(batch -> { }).build();
      metrics.bind(batcher, "ingest");
      long bytes;
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        List<EncodedFrame> payloads = encode(codec, 4);
        bytes = payloads.stream().mapToLong(EncodedFrame::payloadLength).sum();
        for (EncodedFrame p : payloads) {
          batcher.submit("cam", 0, p);
        }
      }
      batcher.close();
      String text = registry.scrape();
      assertSample(text, "framecodec_batcher_items_delivered_total{batcher=\"ingest\"}", 4);
      assertSample(text, "framecodec_batcher_items_submitted_total{batcher=\"ingest\"}", 4);
      assertSample(text, "framecodec_batcher_batches_total{batcher=\"ingest\",trigger=\"size\"}", 2);
      assertSample(text, "framecodec_batcher_items_dropped_total{batcher=\"ingest\",policy=\"block\",reason=\"rejected\"}", 0);
      assertSample(text, "framecodec_batcher_queue_depth{batcher=\"ingest\"}", 0);
      assertSample(text, "framecodec_batcher_wait_seconds_count{batcher=\"ingest\"}", 4);
      assertSample(text, "framecodec_batcher_batch_size_sum{batcher=\"ingest\"}", 4);
      assertTrue(text.contains("# TYPE framecodec_batcher_wait_seconds histogram"), "wait is a histogram");
      assertTrue(Pattern.compile("framecodec_batcher_wait_seconds_bucket\\{batcher=\"ingest\",le=\"\\+Inf\"\\} 4")
          .matcher(text).find(), "its +Inf bucket holds every wait");
      assertSample(text, "framecodec_codec_encode_seconds_count{backend=\"turbojpeg\",mode=\"cv2-yuv\"}", 4);
      assertSample(text, "framecodec_codec_payload_encoded_bytes_total{backend=\"turbojpeg\",mode=\"cv2-yuv\"}", bytes);
      assertSample(text, "framecodec_codec_open{backend=\"turbojpeg\"}", 0);
      assertTrue(text.contains("# HELP framecodec_batcher_items_dropped_total Items lost to backpressure"));
    }
  }

  @Test
  void nothingIsWatchedUntilBoundAndCloseUndoesEveryBind() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    Batcher<String> batcher = Batcher.<String>builder().manual().consumer(b -> { }).build();
    FrameCodecMetrics metrics = FrameCodecMetrics.of(registry);
    assertTrue(registry.getMeters().isEmpty());
    CodecMetrics codecs = metrics.bindCodecs();
    assertEquals(codecs, metrics.bindCodecs(), "codecs are bound once");
    BatcherMetrics bound = metrics.bind(batcher, "b");
    assertFalse(registry.find("framecodec.batcher.wait").timers().isEmpty());
    assertThrows(IllegalStateException.class, () -> bound.bindTo(registry), "one registry per binder");
    metrics.close();
    metrics.close(); // idempotent
    assertTrue(registry.getMeters().isEmpty(), "close removes every meter: " + registry.getMeters());
    assertFalse(CodecMonitor.removeListener(codecs), "the codec listener was removed");
    assertFalse(batcher.removeObserver(bound), "the batcher observer was detached");
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      codec.encode(CorpusFrames.gradient(64, 48, 1), EncodeOptions.cv2Yuv(80));
    }
    assertNull(registry.find("framecodec.codec.encode").timer(), "nothing records after close");
    batcher.close();
  }

  @Test
  void noClassOutsideTheMetricsPackageRefersToMicrometer() throws IOException {
    Path classes = Path.of(System.getProperty("basedir", "."), "target", "classes", "org", "framecodec");
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        boolean metricsPackage = classes.relativize(f).startsWith("metrics");
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (!metricsPackage && bytes.contains("io/micrometer")) {
          offenders.add(classes.relativize(f).toString());
        }
      }
    }
    assertTrue(offenders.isEmpty(), "classes that would need Micrometer on the classpath: " + offenders);
    try (Stream<Path> files = Files.walk(classes.resolve("metrics"))) {
      assertTrue(files.anyMatch(f -> f.toString().endsWith("BatcherMetrics.class")), "the scan saw the binder");
    }
  }

  @Test
  void clientErrorsAreClassifiedByKind() {
    assertEquals("http_5xx", ClientMetrics.kind(new InferenceHttpException("u", 503, "")));
    assertEquals("http_4xx", ClientMetrics.kind(new InferenceHttpException("u", 413, "")));
    assertEquals("http_other", ClientMetrics.kind(new InferenceHttpException("u", 302, "")));
    assertEquals("timeout", ClientMetrics.kind(new TransportException("t",
        new java.net.http.HttpTimeoutException("slow"))));
    assertEquals("connect", ClientMetrics.kind(new TransportException("c", new java.net.ConnectException())));
    assertEquals("io", ClientMetrics.kind(new TransportException("i", new IOException())));
    assertEquals("bad_response", ClientMetrics.kind(new org.framecodec.CorruptPayloadException("x")));
    assertEquals("too_large", ClientMetrics.kind(new org.framecodec.PayloadTooLargeException("x")));
    assertEquals("other", ClientMetrics.kind(new IllegalStateException()));
  }

  private static void assertSample(String text, String series, double value) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), series + " missing from the scrape:\n" + text);
    assertEquals(value, Double.parseDouble(m.group(1)), series);
  }

  private static double counter(MeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).functionCounter().count();
  }

  private static double gauge(MeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).gauge().value();
  }

  private static io.micrometer.core.instrument.Timer codecTimer(MeterRegistry r, String name) {
    return r.get(name).tags("backend", "turbojpeg", "mode", "cv2-yuv").timer();
  }

  private static long codecCounter(MeterRegistry r, String name) {
    return (long) r.get(name).tags("backend", "turbojpeg", "mode", "cv2-yuv").counter().count();
  }

  private static io.micrometer.core.instrument.Timer timer(MeterRegistry r, String framing, String outcome,
      String error) {
    return r.get("framecodec.client.requests").tags("client", "svc", "framing", framing, "outcome", outcome,
        "error", error).timer();
  }

  private static long clientCounter(MeterRegistry r, String name, String framing) {
    return clientCounter(r, name, framing, "svc");
  }

  private static long clientCounter(MeterRegistry r, String name, String framing, String client) {
    return (long) r.get(name).tags("client", client, "framing", framing).counter().count();
  }
}
