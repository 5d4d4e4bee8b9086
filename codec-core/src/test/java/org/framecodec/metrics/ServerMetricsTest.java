package org.framecodec.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.framecodec.CorpusFrames;
import org.framecodec.IsolatedClassPath;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorInfo;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.frames.Frame;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceResult;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.ServerBusyException;
import org.framecodec.transport.ServerOptions;
import org.framecodec.transport.ServerResponse;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;
import org.junit.jupiter.api.Test;

/**
 * The receiver's meters on real parts: the Netty receiver on loopback, BlazeFace on the CPU, the
 * real client, hand-made hostile requests, and the Prometheus text scraped over HTTP from the
 * receiver's own {@code /metrics}. Every count, byte and status must add up exactly.
 */
class ServerMetricsTest {
  private static final String TOKEN = "metrics-test-token";
  private static final long FULL_HD = 1920L * 1080;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One answer the test saw: its status and the bytes of its body, which the server must count. */
  private record Seen(int status, int bodyBytes) {}

  @Test
  void validAndRefusedRequestsAddUpAndTheScrapeOverHttpShowsThem() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BearerToken token = BearerToken.of(TOKEN);
    List<EncodedFrame> photos = new ArrayList<>();
    EncodedFrame face;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      face = codec.encodeFrame(CorpusFrames.astronaut(), EncodeOptions.cv2Yuv(80)); // 512 x 512
      for (String name : CorpusFrames.PHOTOS) {
        photos.add(codec.encodeFrame(CorpusFrames.photo(name), EncodeOptions.cv2Yuv(80)));
      }
    }
    // Two 1080p frames fill both the request and the in-flight pixel budget: while such a request
    // is in the model, even the small portrait does not fit.
    Limits limits = Limits.builder().maxDocumentBytes(2 << 20).maxRequestPixels(2 * FULL_HD)
        .maxInFlightPixels(2 * FULL_HD).build();
    ServerOptions options = ServerOptions.builder().headerTimeout(Duration.ofMillis(500))
        .bodyGrace(Duration.ofMillis(300)).build();
    try (GatedDetector detector = new GatedDetector(Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel())));
        InferenceServer server = InferenceServer.builder().detector(detector).limits(limits).options(options)
            .token(token).metrics(new PrometheusEndpoint(registry)).start();
        FrameCodecMetrics metrics = FrameCodecMetrics.of(registry)) {
      metrics.bind(server, "recv");
      InferenceClient client = InferenceClient.builder(server.uri()).bearerToken(token)
          .requestTimeout(Duration.ofSeconds(30)).build();
      URI detect = server.uri();
      long bytesIn = 0;
      List<Seen> detectAnswers = new ArrayList<>();
      List<Seen> unmatchedAnswers = new ArrayList<>();

      // Valid: one frame in JSON, a batch in the raw container.
      InferenceResult one = client.detect(Framing.JSON, face);
      InferenceResult batch = client.detectBatch(Framing.RAW, List.of(face, photos.get(0)));
      assertEquals(1, one.detections().get(0).size(), "the astronaut's face");
      bytesIn += one.requestBytes() + batch.requestBytes();
      detectAnswers.add(new Seen(200, (int) one.responseBytes()));
      detectAnswers.add(new Seen(200, (int) batch.responseBytes()));

      // Refused from the headers (no body read): no token, a path no route takes, a wrong method,
      // a declared length over the limit. (Small bodies: the server closes without reading them.)
      byte[] faceRaw = new WireWriter().write(Framing.RAW, face);
      byte[] small = new byte[16];
      detectAnswers.add(expect(401, post(detect, small, null)));
      unmatchedAnswers.add(expect(404, post(detect.resolve("/nowhere"), small, TOKEN)));
      detectAnswers.add(expect(405, send(HttpRequest.newBuilder(detect).GET(), TOKEN)));
      detectAnswers.add(expect(413, raw(server.address(), "POST /detect HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
          + TOKEN + "\r\nContent-Length: " + (3 << 20) + "\r\n\r\n", new byte[0])));

      // Read in full, then refused: damaged, an unknown mode, frames over the request's pixels.
      byte[] damaged = "{\"shape\": [2, 2, 3]}".getBytes(StandardCharsets.UTF_8);
      byte[] unknownMode = "{\"shape\": [2, 2, 3], \"mode\": \"hsv\", \"data\": \"/9j/\"}".getBytes(StandardCharsets.UTF_8);
      byte[] threePhotos = new WireWriter().writeBatch(Framing.RAW, photos);
      detectAnswers.add(expect(400, post(detect, damaged, TOKEN)));
      detectAnswers.add(expect(415, post(detect, unknownMode, TOKEN)));
      detectAnswers.add(expect(413, post(detect, threePhotos, TOKEN)));
      bytesIn += damaged.length + unknownMode.length + threePhotos.length;

      // Over the in-flight pixel budget: a request of two 1080p frames is held in the model, and
      // the portrait that comes meanwhile is refused with 503.
      detector.arm();
      CompletableFuture<InferenceResult> held = CompletableFuture.supplyAsync(
          () -> client.detectBatch(Framing.RAW, photos.subList(0, 2)));
      awaitTrue(() -> server.stats().inFlightPixels() == 2 * FULL_HD, "the held request's pixels are reserved");
      detectAnswers.add(expect(503, post(detect, faceRaw, TOKEN)));
      bytesIn += faceRaw.length;
      assertEquals(2.0 * FULL_HD, registry.get("framecodec.server.pixels.in.flight").gauge().value());
      assertEquals(2.0 * FULL_HD, registry.get("framecodec.server.pixels.capacity").gauge().value());
      awaitTrue(() -> registry.get("framecodec.server.requests.in.flight").gauge().value() == 1.0,
          "only the held request is in flight once the 503 is written");
      assertTrue(registry.get("framecodec.server.connections").gauge().value() >= 1);
      long heldNanos = System.nanoTime();
      Thread.sleep(200);
      detector.release();
      InferenceResult heldResult = held.get(30, TimeUnit.SECONDS);
      heldNanos = System.nanoTime() - heldNanos;
      bytesIn += heldResult.requestBytes();
      detectAnswers.add(new Seen(200, (int) heldResult.responseBytes()));
      assertEquals(0.0, registry.get("framecodec.server.pixels.in.flight").gauge().value(), "given back");

      // Too slow: headers that never come (answered as unmatched: there was no path yet), and a
      // body that trickles after its grace; the 10 bytes that came are counted.
      unmatchedAnswers.add(expect(408, raw(server.address(), "", new byte[0])));
      detectAnswers.add(expect(408, raw(server.address(), "POST /detect HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
          + TOKEN + "\r\nContent-Length: 100000\r\n\r\n", new byte[10])));
      bytesIn += 10;

      // The counts, read from the registry.
      assertEquals(3, timer(registry, "/detect", "2xx").count(), "valid requests");
      assertEquals(7, timer(registry, "/detect", "4xx").count(), "401, 405, 413 x2, 400, 415, 408");
      assertEquals(1, timer(registry, "/detect", "5xx").count(), "the 503");
      assertEquals(2, timer(registry, "unmatched", "4xx").count(), "404 and the header timeout");
      long requests = registry.find("framecodec.server.requests").timers().stream().mapToLong(t -> t.count()).sum();
      double errors = registry.find("framecodec.server.errors").counters().stream().mapToDouble(c -> c.count()).sum();
      assertEquals(13, requests, "every answer counted once");
      assertEquals(requests, 3 + (long) errors, "requests = valid + refused by type");
      assertErrors(registry, "/detect", 401, "unauthorized", 1);
      assertErrors(registry, "/detect", 405, "method_not_allowed", 1);
      assertErrors(registry, "/detect", 413, "too_large", 2);
      assertErrors(registry, "/detect", 400, "bad_request", 1);
      assertErrors(registry, "/detect", 415, "unsupported", 1);
      assertErrors(registry, "/detect", 503, "busy", 1);
      assertErrors(registry, "/detect", 408, "timeout", 1);
      assertErrors(registry, "unmatched", 404, "not_found", 1);
      assertErrors(registry, "unmatched", 408, "timeout", 1);
      assertEquals(bytesIn, counter(registry, "framecodec.server.received", "/detect"), "bytes in = the bodies read");
      assertEquals(0, counter(registry, "framecodec.server.received", "unmatched"));
      assertEquals(sum(detectAnswers), counter(registry, "framecodec.server.sent", "/detect"), "bytes out");
      assertEquals(sum(unmatchedAnswers), counter(registry, "framecodec.server.sent", "unmatched"));
      assertEquals(1, refusals(registry, "pixel_budget"));
      assertEquals(1, refusals(registry, "header_timeout"));
      assertEquals(1, refusals(registry, "slow_body"));
      for (String none : List.of("too_many_connections", "body_budget", "queue_full", "shutting_down", "endpoint_busy")) {
        assertEquals(0, refusals(registry, none), none);
      }
      assertTrue(timer(registry, "unmatched", "4xx").max(TimeUnit.MILLISECONDS) >= 500,
          "a header timeout's latency runs from the connection's start");
      assertTrue(timer(registry, "/detect", "2xx").max(TimeUnit.NANOSECONDS) >= heldNanos - 50_000_000L,
          "the held request's latency covers its wait in the model");

      // The same, scraped over HTTP from the receiver itself, with the token.
      HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(detect.resolve("/metrics"))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode(), scrape.body());
      assertEquals(PrometheusEndpoint.CONTENT_TYPE, scrape.headers().firstValue("content-type").orElse(""));
      String text = scrape.body();
      assertSample(text, "framecodec_server_requests_seconds_count{route=\"/detect\",server=\"recv\",status=\"2xx\"}", 3);
      assertSample(text, "framecodec_server_requests_seconds_count{route=\"/detect\",server=\"recv\",status=\"4xx\"}", 7);
      assertSample(text, "framecodec_server_requests_seconds_count{route=\"unmatched\",server=\"recv\",status=\"4xx\"}", 2);
      assertTrue(text.contains("# TYPE framecodec_server_requests_seconds histogram"), "latency is a histogram");
      assertTrue(Pattern.compile("framecodec_server_requests_seconds_bucket\\{route=\"/detect\",server=\"recv\","
          + "status=\"2xx\",le=\"\\+Inf\"\\} 3").matcher(text).find(), "its +Inf bucket holds every valid request");
      assertSample(text, "framecodec_server_errors_total{code=\"413\",error=\"too_large\",route=\"/detect\",server=\"recv\"}", 2);
      assertSample(text, "framecodec_server_errors_total{code=\"401\",error=\"unauthorized\",route=\"/detect\",server=\"recv\"}", 1);
      assertSample(text, "framecodec_server_errors_total{code=\"503\",error=\"busy\",route=\"/detect\",server=\"recv\"}", 1);
      assertSample(text, "framecodec_server_received_bytes_total{route=\"/detect\",server=\"recv\"}", bytesIn);
      assertSample(text, "framecodec_server_sent_bytes_total{route=\"/detect\",server=\"recv\"}", sum(detectAnswers));
      assertSample(text, "framecodec_server_refusals_total{reason=\"pixel_budget\",server=\"recv\"}", 1);
      assertSample(text, "framecodec_server_refusals_total{reason=\"slow_body\",server=\"recv\"}", 1);
      assertSample(text, "framecodec_server_refusals_total{reason=\"queue_full\",server=\"recv\"}", 0);
      assertSample(text, "framecodec_server_pixels_capacity{server=\"recv\"}", 2 * FULL_HD);
      assertSample(text, "framecodec_server_pixels_in_flight{server=\"recv\"}", 0);
      assertSample(text, "framecodec_server_queue_capacity{server=\"recv\"}", options.queueCapacity());
      assertSample(text, "framecodec_server_body_capacity_bytes{server=\"recv\"}", options.maxInFlightBodyBytes());
      assertSample(text, "framecodec_server_requests_queued{server=\"recv\"}", 0);

      // /metrics follows the server's token: without it, 401, counted under its own route.
      assertEquals(401, send(HttpRequest.newBuilder(detect.resolve("/metrics")).GET(), null).statusCode());
      assertEquals(401, send(HttpRequest.newBuilder(detect.resolve("/metrics")).GET(), "wrong").statusCode());
      assertEquals(1, timer(registry, "/metrics", "2xx").count(), "the scrape itself");
      assertErrors(registry, "/metrics", 401, "unauthorized", 2);
    }
  }

  @Test
  void aFullQueueAndTooManyConnectionsAreRefusalsAndMetricsStillAnswer() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CountDownLatch gate = new CountDownLatch(1);
    ServerOptions options = ServerOptions.builder().workers(1).queueCapacity(1).maxConnectionsPerAddress(8).build();
    try (InferenceServer server = InferenceServer.builder().options(options)
            .route("POST", "/hold", request -> {
              gate.await(30, TimeUnit.SECONDS);
              return ServerResponse.text(200, "held " + request.bodyLength());
            })
            .route("POST", "/busy", request -> {
              throw new ServerBusyException("the model is reloading");
            })
            .route("POST", "/fail", request -> {
              throw new IllegalStateException("an endpoint's bug");
            })
            .metrics(new PrometheusEndpoint(registry)).start();
        FrameCodecMetrics metrics = FrameCodecMetrics.of(registry)) {
      metrics.bind(server, "lanes");
      URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
      byte[] body = new byte[1000];
      CompletableFuture<HttpResponse<String>> running = HTTP.sendAsync(postRequest(base.resolve("/hold"), body, null),
          HttpResponse.BodyHandlers.ofString());
      awaitTrue(() -> server.stats().inFlightRequests() == 1 && server.stats().queuedRequests() == 0,
          "the first request runs on the only worker");
      CompletableFuture<HttpResponse<String>> queued = HTTP.sendAsync(postRequest(base.resolve("/hold"), body, null),
          HttpResponse.BodyHandlers.ofString());
      awaitTrue(() -> server.stats().queuedRequests() == 1, "the second waits in the queue");
      assertEquals(1.0, registry.get("framecodec.server.requests.queued").gauge().value());
      assertEquals(2.0, registry.get("framecodec.server.requests.in.flight").gauge().value());
      HttpResponse<String> full = HTTP.send(postRequest(base.resolve("/hold"), body, null), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, full.statusCode(), full.body());
      assertEquals(1, refusals(registry, "queue_full"));

      // The worker and the queue are taken, yet the scrape answers: it has a lane of its own.
      HttpResponse<String> scrape = send(HttpRequest.newBuilder(base.resolve("/metrics")).GET(), null);
      assertEquals(200, scrape.statusCode());
      assertSample(scrape.body(), "framecodec_server_requests_queued{server=\"lanes\"}", 1);
      assertSample(scrape.body(), "framecodec_server_refusals_total{reason=\"queue_full\",server=\"lanes\"}", 1);

      // A ninth connection from one address, over its cap of eight, is closed unread: a refusal
      // without a response. 127.0.0.2 keeps them apart from the HTTP client's connections.
      InetAddress other = InetAddress.getByName("127.0.0.2");
      List<Socket> upToTheCap = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          upToTheCap.add(connect(server.address(), other));
        }
        awaitTrue(() -> server.stats().openConnections() >= 8, "eight connections are open");
        try (Socket over = connect(server.address(), other)) {
          over.setSoTimeout(5000);
          assertEquals(-1, over.getInputStream().read(), "closed at once, nothing answered");
        }
        assertEquals(1, refusals(registry, "too_many_connections"));
        assertTrue(registry.get("framecodec.server.connections").gauge().value() >= 8);
      } finally {
        for (Socket s : upToTheCap) {
          s.close();
        }
      }
      gate.countDown();
      assertEquals(200, running.get(30, TimeUnit.SECONDS).statusCode());
      assertEquals(200, queued.get(30, TimeUnit.SECONDS).statusCode());

      assertEquals(503, HTTP.send(postRequest(base.resolve("/busy"), body, null), HttpResponse.BodyHandlers.ofString())
          .statusCode());
      assertEquals(1, refusals(registry, "endpoint_busy"));
      assertEquals(500, HTTP.send(postRequest(base.resolve("/fail"), body, null), HttpResponse.BodyHandlers.ofString())
          .statusCode());
      assertErrors(registry, "/fail", 500, "internal_error", 1);
      assertErrors(registry, "/hold", 503, "busy", 1);
      assertErrors(registry, "/busy", 503, "busy", 1);
      assertEquals(2, timer(registry, "/hold", "2xx").count());
      assertEquals(3000.0, counter(registry, "framecodec.server.received", "/hold"), "three bodies of 1000 read");
      assertEquals(1, timer(registry, "/metrics", "2xx").count());
      assertEquals(0, refusals(registry, "header_timeout"), "no connection of the cap check was left to time out");
    }
  }

  @Test
  void aScrapeTokenOfItsOwnOpensOnlyTheMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (InferenceServer server = InferenceServer.builder().token(BearerToken.of(TOKEN))
        .route("POST", "/echo", request -> ServerResponse.text(200, "ok"))
        .metrics(new PrometheusEndpoint(registry), BearerToken.of("scraper-only")).start()) {
      URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
      HttpRequest.Builder scrape = HttpRequest.newBuilder(base.resolve("/metrics")).GET();
      assertEquals(401, send(scrape, TOKEN).statusCode(), "the clients' token does not read the metrics");
      assertEquals(401, send(scrape, null).statusCode());
      assertEquals(200, send(scrape, "scraper-only").statusCode());
      assertEquals(401, HTTP.send(postRequest(base.resolve("/echo"), new byte[1], "scraper-only"),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "the scraper's token does not post");
      assertEquals(200, HTTP.send(postRequest(base.resolve("/echo"), new byte[1], TOKEN),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(405, HTTP.send(postRequest(base.resolve("/metrics"), new byte[1], TOKEN),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "only GET");
    }
  }

  @Test
  void nothingIsWatchedUntilBoundAndCloseDetaches() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (InferenceServer server = InferenceServer.builder()
        .route("POST", "/echo", request -> ServerResponse.text(200, "ok")).start()) {
      URI echo = URI.create("http://127.0.0.1:" + server.address().getPort() + "/echo");
      assertEquals(200, HTTP.send(postRequest(echo, new byte[5], null), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertTrue(registry.getMeters().isEmpty());
      FrameCodecMetrics metrics = FrameCodecMetrics.of(registry);
      ServerMetrics bound = metrics.bind(server, "s");
      assertThrows(IllegalStateException.class, () -> bound.bindTo(registry), "one registry per binder");
      assertEquals(200, HTTP.send(postRequest(echo, new byte[7], null), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(1, timer(registry, "/echo", "2xx").count(), "only what came after the bind");
      assertEquals(7.0, counter(registry, "framecodec.server.received", "/echo"));
      metrics.close();
      metrics.close(); // idempotent
      assertTrue(registry.getMeters().isEmpty(), "close removes every meter: " + registry.getMeters());
      assertFalse(server.removeListener(bound), "the listener was detached");
      assertEquals(200, HTTP.send(postRequest(echo, new byte[9], null), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertNull(registry.find("framecodec.server.requests").timer(), "nothing records after close");
    }
  }

  @Test
  void theBindersWorkWithoutThePrometheusRegistryOnTheClassPath() throws Exception {
    try (URLClassLoader loader = IsolatedClassPath.without("prometheus")) {
      assertThrows(ClassNotFoundException.class,
          () -> loader.loadClass("io.micrometer.prometheusmetrics.PrometheusMeterRegistry"));
      for (String name : IsolatedClassPath.classesOf("org.framecodec.metrics")) {
        if (!name.endsWith(".PrometheusEndpoint")) {
          Class.forName(name, true, loader); // links (verifies) and initializes each one
        }
      }
      Class<?> registryClass = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
      Class<?> serverClass = loader.loadClass("org.framecodec.transport.InferenceServer");
      Class<?> endpointClass = loader.loadClass("org.framecodec.transport.Endpoint");
      Method text = loader.loadClass("org.framecodec.transport.ServerResponse").getMethod("text", int.class, String.class);
      Object endpoint = Proxy.newProxyInstance(loader, new Class<?>[] {endpointClass}, (proxy, m, args) -> {
        if (m.getName().equals("handle")) {
          return text.invoke(null, 200, "ok");
        }
        throw new UnsupportedOperationException(m.toString());
      });
      Object registry = loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry")
          .getConstructor().newInstance();
      Object builder = serverClass.getMethod("builder").invoke(null);
      builder.getClass().getMethod("route", String.class, String.class, endpointClass).invoke(builder, "GET", "/ok", endpoint);
      Class<?> metricsClass = loader.loadClass("org.framecodec.metrics.FrameCodecMetrics");
      try (AutoCloseable server = (AutoCloseable) builder.getClass().getMethod("start").invoke(builder);
          AutoCloseable metrics = (AutoCloseable) metricsClass.getMethod("of", registryClass).invoke(null, registry)) {
        metricsClass.getMethod("bind", serverClass, String.class).invoke(metrics, server, "plain");
        InetSocketAddress address = (InetSocketAddress) serverClass.getMethod("address").invoke(server);
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/ok"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        Object search = registryClass.getMethod("get", String.class).invoke(registry, "framecodec.server.requests");
        Object timer = search.getClass().getMethod("timer").invoke(search);
        assertEquals(1L, loader.loadClass("io.micrometer.core.instrument.Timer").getMethod("count").invoke(timer));
      }
    }
  }

  @Test
  void statusesAreNamed() {
    assertEquals("bad_request", ServerMetrics.errorName(400));
    assertEquals("unauthorized", ServerMetrics.errorName(401));
    assertEquals("too_large", ServerMetrics.errorName(413));
    assertEquals("headers_too_large", ServerMetrics.errorName(431));
    assertEquals("busy", ServerMetrics.errorName(503));
    assertEquals("http_502", ServerMetrics.errorName(502));
  }

  /** A real detector whose next call, once armed, waits until released: holds a request in the model. */
  private static final class GatedDetector implements Detector {
    private final Detector detector;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    GatedDetector(Detector detector) {
      this.detector = detector;
    }

    void arm() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    @Override
    public DetectionBatch detectEncoded(List<EncodedFrame> frames) {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return detector.detectEncoded(frames);
    }

    @Override
    public DetectorInfo info() {
      return detector.info();
    }

    @Override
    public DetectionBatch detect(List<Frame> frames) {
      return detector.detect(frames);
    }

    @Override
    public CompletableFuture<DetectionBatch> detectAsync(List<Frame> frames) {
      return detector.detectAsync(frames);
    }

    @Override
    public CompletableFuture<DetectionBatch> detectEncodedAsync(List<EncodedFrame> frames) {
      return detector.detectEncodedAsync(frames);
    }

    @Override
    public void close() {
      detector.close();
    }
  }

  private static HttpRequest postRequest(URI uri, byte[] body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  private static HttpResponse<String> post(URI uri, byte[] body, String token) throws Exception {
    return HTTP.send(postRequest(uri, body, token), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
    if (token != null) {
      request.setHeader("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Seen expect(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    return new Seen(status, r.body().getBytes(StandardCharsets.UTF_8).length);
  }

  private static Seen expect(int status, Seen seen) {
    assertEquals(status, seen.status());
    return seen;
  }

  /** Sends {@code head} and {@code body} by hand and reads the answer until the server closes. */
  private static Seen raw(InetSocketAddress server, String head, byte[] body) throws IOException {
    try (Socket s = connect(server, null)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          all.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer within 10 s: " + all.toString(StandardCharsets.ISO_8859_1), e);
      }
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(text.startsWith("HTTP/1.1 ") && end > 0, "not an HTTP answer: " + text);
      return new Seen(Integer.parseInt(text.substring(9, 12)), all.size() - end - 4);
    }
  }

  private static Socket connect(InetSocketAddress server, InetAddress source) throws IOException {
    Socket s = new Socket();
    if (source != null) {
      s.bind(new InetSocketAddress(source, 0));
    }
    s.connect(server, 5000);
    return s;
  }

  private static long sum(List<Seen> answers) {
    return answers.stream().mapToLong(Seen::bodyBytes).sum();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(5);
    }
  }

  private static io.micrometer.core.instrument.Timer timer(MeterRegistry r, String route, String status) {
    return r.get("framecodec.server.requests").tags("route", route, "status", status).timer();
  }

  private static double counter(MeterRegistry r, String name, String route) {
    return r.get(name).tags("route", route).counter().count();
  }

  private static double refusals(MeterRegistry r, String reason) {
    return r.get("framecodec.server.refusals").tags("reason", reason).counter().count();
  }

  private static void assertErrors(MeterRegistry r, String route, int code, String error, double expected) {
    assertEquals(expected, r.get("framecodec.server.errors").tags("route", route, "code", Integer.toString(code),
        "error", error).counter().count(), route + " " + code);
  }

  private static void assertSample(String text, String series, double value) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), series + " missing from the scrape:\n" + text);
    assertEquals(value, Double.parseDouble(m.group(1)), series);
  }
}
