package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.framecodec.Limits;
import org.framecodec.frames.PixelFormat;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.Subsampling;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.CodecBackend;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.HostileJpegs;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver attacked on loopback, one test per finding of issue 14 and per protection: every
 * loop is bounded in count and time, and every test also checks that legitimate requests are
 * still served.
 */
class InferenceServerAttackTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** A second loopback source address, so legitimate clients are not counted with attackers. */
  private static final InetAddress OTHER_LOOPBACK = address("127.0.0.2");

  private static Detector detector;
  private static EncodedFrame astronaut;
  private static byte[] astronautJson;

  @BeforeAll
  static void open() {
    detector = Detector.open(DetectorOptions.blazeFace(org.framecodec.CorpusFrames.frontModel()));
    astronaut = TransportTestData.frames().get(0);
    astronautJson = new WireWriter().write(Framing.JSON, astronaut);
  }

  @AfterAll
  static void closeDetector() {
    if (detector != null) {
      detector.close();
    }
  }

  private static InetAddress address(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InferenceServer.Builder server() {
    return InferenceServer.builder().detector(detector);
  }

  private static RawHttp.Response legit(InferenceServer s) throws IOException {
    try (RawHttp c = RawHttp.connect(s.address(), OTHER_LOOPBACK, 10_000)) {
      c.post("/detect", "application/json", astronautJson, "");
      return c.read();
    }
  }

  @Test
  void slowHeaderConnectionsDoNotStopLegitimateRequests() throws Exception {
    ServerOptions opts = ServerOptions.builder().headerTimeout(Duration.ofSeconds(4))
        .maxConnectionsPerAddress(100).build();
    try (InferenceServer s = server().options(opts).start()) {
      List<RawHttp> attackers = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          RawHttp a = RawHttp.connect(s.address(), LOOPBACK, 10_000);
          a.send("P"); // one byte of a request line, then nothing
          attackers.add(a);
        }
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
          long t0 = System.nanoTime();
          RawHttp.Response r = legit(s);
          millis.add((System.nanoTime() - t0) / 1_000_000);
          assertEquals(200, r.status(), r.text());
          assertTrue(r.text().contains("\"frames\""), r.text());
        }
        System.out.println("slow-header attack: 200 connections, legitimate requests took " + millis + " ms");
        for (long ms : millis) {
          assertTrue(ms < 2000, "a legitimate request took " + ms + " ms under the attack: " + millis);
        }
        assertTrue(s.stats().refusedConnections() >= 100, "connections over the per-address cap of 100 "
            + "are closed at once: " + s.stats());
        // Every attacker is cut off by the header timeout (4 s), with 408 or a close.
        long t0 = System.nanoTime();
        int cut = 0;
        for (RawHttp a : attackers) {
          long left = Math.max(1, 8_000 - (System.nanoTime() - t0) / 1_000_000);
          if (a.closedByServerWithin((int) left)) {
            cut++;
          }
        }
        assertEquals(200, cut, "slow-header connections closed by the server within 8 s");
      } finally {
        for (RawHttp a : attackers) {
          a.close();
        }
      }
      assertTrue(s.stats().responses(408) >= 100, s.stats().toString());
      assertEquals(200, legit(s).status());
    }
  }

  @Test
  void aNeverEndingChunkedBodyIsCutAtTheLimit() throws Exception {
    Limits limits = Limits.builder().maxDocumentBytes(1 << 20).build();
    try (InferenceServer s = server().limits(limits).start();
        RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 10_000)) {
      c.send("POST /detect HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      long sent = 0;
      try {
        for (int i = 0; i < 640 && sent < (10L << 20); i++) { // at most 10 MB, ten times the limit
          c.send(chunk);
          sent += 0x4000;
        }
      } catch (IOException closedOnUs) {
        // expected: the server answers and closes once past the limit
      }
      RawHttp.Response r = c.read();
      assertEquals(413, r.status(), r.text());
      assertTrue(r.text().contains("chunked body passed the limit of 1048576 bytes"), r.text());
      assertTrue(c.closedByServerWithin(5_000));
      assertEquals(0, s.stats().inFlightBodyBytes(), "the chunks were given back");
      assertEquals(200, legit(s).status());
    }
  }

  @Test
  void aTricklingChunkedBodyIsCutByTheMinimumRate() throws Exception {
    ServerOptions opts = ServerOptions.builder().bodyGrace(Duration.ofSeconds(1))
        .minBodyBytesPerSecond(1024).build();
    try (InferenceServer s = server().options(opts).start();
        RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 10_000)) {
      c.send("POST /detect HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
      long t0 = System.nanoTime();
      try {
        // A byte every 100 ms, for at most 4 s, until the answer is there: the server lingers
        // up to 2 s after it before closing, so later sends need not fail.
        for (int i = 0; i < 40 && c.socket.getInputStream().available() == 0; i++) {
          c.send("1\r\nx\r\n");
          Thread.sleep(100);
        }
      } catch (IOException closedOnUs) {
        // expected
      }
      RawHttp.Response r = c.read();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(408, r.status(), r.text());
      assertTrue(r.text().contains("request body too slow"), r.text());
      assertTrue(ms < 3_500, "cut after " + ms + " ms; grace 1 s");
    }
  }

  @Test
  void aTenGigabyteContentLengthIsRefusedFromTheHeader() throws Exception {
    try (InferenceServer s = server().start();
        RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 5_000)) {
      long t0 = System.nanoTime();
      c.send("POST /detect HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
          + "Content-Length: 10737418240\r\n\r\n");
      RawHttp.Response r = c.read(); // no byte of the body was sent
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(413, r.status(), r.text());
      assertTrue(r.text().contains("Content-Length 10737418240 is larger than the limit of 67108864"
          + " bytes (maxDocumentBytes); nothing was read"), r.text());
      System.out.println("10 GB Content-Length: 413 after " + ms + " ms");
      assertTrue(c.closedByServerWithin(5_000));
      assertEquals(0, s.stats().inFlightBodyBytes());
      assertEquals(0, s.stats().pooledBodyBytes(), "no body buffer was even allocated");
    }
  }

  @Test
  void aClientStillUploadingWhenRefusedGetsItsRefusal() throws Exception {
    // The 413 is decided from the headers while the client is still sending a 3 MB body. A server
    // that closed with that data unread would reset the connection, and the JDK's HTTP client,
    // whose upload then fails, reports the broken upload instead of the 413. The server
    // half-closes and drops the rest instead. Ten rounds, since the reset loses the race only
    // some of the time.
    EncodedFrame big;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      big = codec.encodeFrame(CorpusFrames.noise(PixelFormat.BGR, 1920, 1080, 7), EncodeOptions.ycbcr(100, Subsampling.S444));
    }
    assertTrue(big.payloadLength() > 2_000_000, "payload of " + big.payloadLength());
    try (InferenceServer s = server().limits(Limits.builder().maxDocumentBytes(1000).build()).start()) {
      InferenceClient client = InferenceClient.builder(s.uri()).build();
      for (int round = 0; round < 10; round++) {
        InferenceHttpException e = assertThrows(InferenceHttpException.class,
            () -> client.detect(Framing.RAW, big), "round " + round);
        assertEquals(413, e.statusCode(), "round " + round);
        assertTrue(e.bodyExcerpt().contains("maxDocumentBytes"), e.bodyExcerpt());
      }
      assertEquals(0, s.stats().inFlightBodyBytes());
    }
  }

  @Test
  void sixtyFourHugeGrayFramesAreRefusedFromTheirHeadersWithBoundedMemory() throws Exception {
    byte[] big = HostileJpegs.bigGray();
    int side = HostileJpegs.BOMB_SIDE;
    EncodedFrame frame = EncodedFrame.of(big, side, side, 1, JpegMode.GRAY, 80);
    byte[] body = new WireWriter().writeBatch(Framing.JSON, Collections.nCopies(64, frame));
    try (InferenceServer s = server().start()) {
      ResidentMemory.resetPeak();
      long before = ResidentMemory.rssKb();
      long t0 = System.nanoTime();
      RawHttp.Response r;
      try (RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 60_000)) {
        c.post("/detect", "application/json", body, "");
        r = c.read();
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long peakGrowthMb = (ResidentMemory.peakKb() - before) / 1024;
      System.out.println("64 x 6320x6320 gray, " + body.length + " B JSON: " + r.status() + " after "
          + ms + " ms; resident memory peak +" + peakGrowthMb + " MB");
      assertEquals(413, r.status(), r.text());
      assertTrue(r.text().contains("more than maxRequestPixels 150000000"), r.text());
      // Decoding them would take 64 x 40 MB gray (7.6 GB as BGR); refusing them from the headers
      // costs the body and its parse: about 2 x 40 MB here, on a heap that may grow a little.
      assertTrue(peakGrowthMb < 400, "resident memory grew by " + peakGrowthMb + " MB");
      assertEquals(0, s.stats().inFlightPixels());
      assertEquals(200, legit(s).status());
    }
  }

  @Test
  void theTruncatedBombAndProgressiveScanFilesGetTheirStatus() throws Exception {
    try (InferenceServer s = server().start()) {
      Map<String, byte[]> hostile = HostileJpegs.all();
      assertEquals(400, post(s, "image/jpeg", hostile.get("truncated-bomb-629B-6320x6320")).status());
      RawHttp.Response scans = post(s, "image/jpeg", hostile.get("scans-2080"));
      assertEquals(413, scans.status(), scans.text());
      assertTrue(scans.text().contains("2080 scans, more than the limit of 100"), scans.text());
      RawHttp.Response work = post(s, "image/jpeg", hostile.get("progressive-6320x6320-gray"));
      assertEquals(413, work.status(), work.text());
      assertTrue(work.text().contains("scan-pixels of decoding"), work.text());
      for (String name : List.of("cut-in-half-with-eoi", "stray-restart-marker", "fill-run-in-scan")) {
        assertEquals(400, post(s, "image/jpeg", hostile.get(name)).status(), name);
      }
      long t0 = System.nanoTime();
      RawHttp.Response ok = post(s, "image/jpeg", HostileJpegs.scriptedScans1080p(74));
      System.out.println("74-scan 1080p gray progressive: " + ok.status() + " in "
          + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertEquals(200, ok.status(), ok.text());
    }
  }

  @Test
  void aDeclaredShapeThatDisagreesWithTheJpegIs400NamingBoth() throws Exception {
    try (InferenceServer s = server().start()) {
      EncodedFrame liar = astronaut.toBuilder().size(6000, 6000).build();
      RawHttp.Response r = post(s, "application/json", new WireWriter().write(Framing.JSON, liar));
      assertEquals(400, r.status(), r.text());
      assertTrue(r.text().contains("declares shape [6000, 6000, 3] but its JPEG header says [512, 512, 3]"),
          r.text());
    }
  }

  @Test
  void aBareGrayJpegIsDetectedAsGray() throws Exception {
    byte[] gray = HostileJpegs.scriptedScans1080p(12);
    try (InferenceServer s = server().start()) {
      RawHttp.Response r = post(s, "image/jpeg", gray);
      assertEquals(200, r.status(), r.text());
    }
  }

  @Test
  void aWrongOrMissingTokenIs401AndTheRightOneWorks() throws Exception {
    BearerToken token = BearerToken.of("s3cret-token-for-tests");
    assertFalse(token.toString().contains("s3cret"), "the token is never shown");
    try (InferenceServer s = server().token(token).start()) {
      InferenceHttpException none = assertThrows(InferenceHttpException.class,
          () -> InferenceClient.builder(s.uri()).build().detect(Framing.RAW, astronaut));
      assertEquals(401, none.statusCode());
      InferenceHttpException wrong = assertThrows(InferenceHttpException.class,
          () -> InferenceClient.builder(s.uri()).bearerToken(BearerToken.of("s3cret-token-for-test"))
              .build().detect(Framing.RAW, astronaut));
      assertEquals(401, wrong.statusCode());
      assertEquals("wrong bearer token", wrong.bodyExcerpt());
      assertEquals(1, InferenceClient.builder(s.uri()).bearerToken(token).build()
          .detect(Framing.RAW, astronaut).detections().get(0).size());
    }
  }

  @Test
  void tlsWithClientCertificatesRefusesAClientWithoutOne(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.make(dir);
    TlsOptions tls = TlsOptions.fromPem(certs.serverCertPem, certs.serverKeyPem)
        .requireClientCertificates(certs.clientCertPem);
    try (InferenceServer s = server().tls(tls).start()) {
      assertTrue(s.uri().toString().startsWith("https://127.0.0.1:"), s.uri().toString());
      var trustServer = TlsFiles.trustManagersFromPem(certs.serverCertPem);
      var clientKeys = TlsFiles.keyManagersFromPkcs12(certs.clientP12, TestCertificates.PASSWORD);
      InferenceClient good = InferenceClient.builder(s.uri())
          .sslContext(TlsFiles.clientContext(trustServer, clientKeys)).build();
      assertEquals(1, good.detect(Framing.RAW, astronaut).detections().get(0).size());

      InferenceClient noCert = InferenceClient.builder(s.uri())
          .sslContext(TlsFiles.clientContext(trustServer, null)).build();
      TransportException e = assertThrows(TransportException.class, () -> noCert.detect(Framing.RAW, astronaut));
      assertFalse(e instanceof InferenceHttpException, "refused in the handshake, before HTTP: " + e);

      var stranger = TlsFiles.keyManagersFromPkcs12(certs.strangerP12, TestCertificates.PASSWORD);
      InferenceClient untrusted = InferenceClient.builder(s.uri())
          .sslContext(TlsFiles.clientContext(trustServer, stranger)).build();
      assertThrows(TransportException.class, () -> untrusted.detect(Framing.RAW, astronaut));

      // A plain-HTTP client on the TLS port gets nothing it can take for an answer.
      assertThrows(TransportException.class, () -> InferenceClient.builder(
          java.net.URI.create(s.uri().toString().replace("https", "http"))).requestTimeout(Duration.ofSeconds(5))
          .build().detect(Framing.RAW, astronaut));
      assertEquals(1, good.detect(Framing.RAW, astronaut).detections().get(0).size());
    }
    try (InferenceServer s = server().tls(TlsOptions.fromPkcs12(certs.serverP12, TestCertificates.PASSWORD)).start()) {
      InferenceClient oneWay = InferenceClient.builder(s.uri()).sslContext(TlsFiles.clientContext(
          TlsFiles.trustManagersFromPem(certs.serverCertPem), null)).build();
      assertEquals(1, oneWay.detect(Framing.JSON, astronaut).detections().get(0).size());
    }
  }

  @Test
  void anErrorInAnEndpointIs503AndTheServerServesOn() throws Exception {
    Endpoint oom = request -> {
      long[] tooBig = new long[Integer.MAX_VALUE]; // a real OutOfMemoryError from the JVM
      return ServerResponse.text(200, "unreachable " + tooBig.length);
    };
    try (InferenceServer s = server().route("POST", "/oom", oom).start();
        RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 10_000)) {
      c.post("/oom", "text/plain", new byte[] {1}, "");
      RawHttp.Response r = c.read();
      assertEquals(503, r.status(), r.text());
      assertTrue(r.text().contains("java.lang.OutOfMemoryError"), r.text());
      assertEquals("1", r.header("Retry-After"));
      c.post("/detect", "application/json", astronautJson, ""); // same connection, kept alive
      assertEquals(200, c.read().status());
    }
  }

  @Test
  void aFullQueueIs503AtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Endpoint slow = request -> {
      started.countDown();
      release.await(20, TimeUnit.SECONDS);
      return ServerResponse.text(200, "done");
    };
    ServerOptions opts = ServerOptions.builder().workers(1).queueCapacity(1).build();
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try (InferenceServer s = InferenceServer.builder().options(opts).route("POST", "/slow", slow).start()) {
      Future<RawHttp.Response> running = clients.submit(() -> postTo(s, "/slow"));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      Future<RawHttp.Response> queued = clients.submit(() -> postTo(s, "/slow"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (s.stats().inFlightRequests() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long t0 = System.nanoTime();
      RawHttp.Response refused = postTo(s, "/slow");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(503, refused.status(), refused.text());
      assertTrue(refused.text().contains("request queue is full"), refused.text());
      assertNotNull(refused.header("Retry-After"));
      assertTrue(ms < 2_000, "refused after " + ms + " ms");
      release.countDown();
      assertEquals(200, running.get(20, TimeUnit.SECONDS).status());
      assertEquals(200, queued.get(20, TimeUnit.SECONDS).status());
    } finally {
      release.countDown();
      clients.shutdownNow();
    }
  }

  @Test
  void closeLetsInFlightRequestsFinishAndAnswersNewOnes503() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Endpoint slow = request -> {
      started.countDown();
      release.await(20, TimeUnit.SECONDS);
      return ServerResponse.text(200, "finished");
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    InferenceServer s = InferenceServer.builder().route("POST", "/slow", slow).start();
    try {
      Future<RawHttp.Response> inFlight = pool.submit(() -> postTo(s, "/slow"));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      Future<?> closing = pool.submit(() -> s.close(Duration.ofSeconds(20)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!s.isDraining() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      RawHttp.Response refused = postTo(s, "/slow");
      assertEquals(503, refused.status(), refused.text());
      assertTrue(refused.text().contains("shutting down"), refused.text());
      release.countDown();
      RawHttp.Response done = inFlight.get(20, TimeUnit.SECONDS);
      assertEquals(200, done.status());
      assertEquals("finished\n", done.text());
      closing.get(30, TimeUnit.SECONDS);
      assertThrows(IOException.class, () -> RawHttp.connect(s.address(), LOOPBACK, 2_000).close());
    } finally {
      release.countDown();
      s.close();
      pool.shutdownNow();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws Exception {
    ServerOptions opts = ServerOptions.builder().idleTimeout(Duration.ofMillis(500)).build();
    try (InferenceServer s = server().options(opts).start();
        RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 10_000)) {
      c.post("/detect", "application/json", astronautJson, "");
      assertEquals(200, c.read().status());
      assertTrue(c.closedByServerWithin(3_000));
    }
  }

  @Test
  void aWildcardAddressStillGivesAUriTheClientTakes() throws Exception {
    try (InferenceServer s = InferenceServer.start(new InetSocketAddress(0), detector, InferenceServer.DEFAULT_LIMITS)) {
      assertTrue(s.uri().toString().startsWith("http://127.0.0.1:"), s.uri().toString());
      assertEquals(1, InferenceClient.builder(s.uri()).build().detect(Framing.RAW, astronaut)
          .detections().get(0).size());
    }
    try (InferenceServer s = server().start()) {
      assertTrue(s.address().getAddress().isLoopbackAddress(), "loopback unless told: " + s.address());
    }
  }

  private static RawHttp.Response postTo(InferenceServer s, String path) throws IOException {
    try (RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 30_000)) {
      c.post(path, "text/plain", new byte[] {1, 2, 3}, "");
      return c.read();
    }
  }

  private static RawHttp.Response post(InferenceServer s, String type, byte[] body) throws IOException {
    try (RawHttp c = RawHttp.connect(s.address(), LOOPBACK, 60_000)) {
      c.post("/detect", type, body, "");
      return c.read();
    }
  }

  /** This process's resident memory, from /proc (Linux). */
  static final class ResidentMemory {
    private ResidentMemory() {}

    static long rssKb() throws IOException {
      return field("VmRSS:");
    }

    static long peakKb() throws IOException {
      return field("VmHWM:");
    }

    /** Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux 4.0+). */
    static void resetPeak() throws IOException {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    }

    private static long field(String name) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IOException(name + " not in /proc/self/status");
    }
  }
}
