package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a stub service that answers whatever each test sets. */
class InferenceClientErrorsTest {
  private static final EncodedFrame FRAME = EncodedFrame.builder()
      .payload(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}).size(4, 4).channels(3)
      .mode(JpegMode.CV2_YUV).build();
  private static final String ONE_FACE =
      "{\"frames\": [[{\"box\": [1, 2, 3, 4], \"score\": 0.5, \"class\": 0}]]}";

  private HttpServer stub;
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<byte[]> answer = new AtomicReference<>(new byte[0]);
  private final AtomicReference<String> seenType = new AtomicReference<>();
  private volatile long delayMillis;
  private InferenceClient client;

  @BeforeEach
  void start() throws IOException {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    stub.createContext("/detect", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        seenType.set(ex.getRequestHeaders().getFirst("Content-Type"));
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        byte[] b = answer.get();
        ex.sendResponseHeaders(status.get(), b.length == 0 ? -1 : b.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(b);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    stub.start();
    client = InferenceClient.builder(uri()).build();
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + "/detect");
  }

  private void answer(int code, String body) {
    status.set(code);
    answer.set(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void okAnswerIsParsedAndContentTypesAreSent() {
    answer(200, ONE_FACE);
    InferenceResult r = client.detect(Framing.JSON, FRAME);
    assertEquals(1, r.detections().size());
    assertEquals(0.5f, r.detections().get(0).get(0).score());
    assertEquals("application/json", seenType.get());
    assertEquals(ONE_FACE.length(), r.responseBytes());
    client.detect(Framing.RAW, FRAME);
    assertEquals("application/octet-stream", seenType.get());
  }

  @Test
  void http500IsAnHttpExceptionWithTheBody() {
    answer(500, "Internal Server Error: CUDA out of memory\n");
    InferenceHttpException e = assertThrows(InferenceHttpException.class,
        () -> client.detectBatch(Framing.RAW, List.of(FRAME)));
    assertEquals(500, e.statusCode());
    assertEquals("Internal Server Error: CUDA out of memory", e.bodyExcerpt());
    assertTrue(e.getMessage().contains("answered HTTP 500: Internal Server Error"), e.getMessage());
  }

  @Test
  void longErrorBodiesAreCut() {
    answer(503, "x".repeat(100_000));
    InferenceHttpException e = assertThrows(InferenceHttpException.class, () -> client.detect(Framing.JSON, FRAME));
    assertEquals(InferenceHttpException.MAX_EXCERPT_CHARS, e.bodyExcerpt().length());
  }

  @Test
  void malformedJsonIsAMalformedResponse() {
    answer(200, "{\"frames\": [[{\"box\": [1, 2, 3, 4], \"score\": 0.5, ");
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
        () -> client.detect(Framing.JSON, FRAME));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    answer(200, "<html>502 Bad Gateway</html>");
    assertThrows(CorruptPayloadException.class, () -> client.detect(Framing.JSON, FRAME));
  }

  @Test
  void wrongFrameCountIsAMalformedResponse() {
    answer(200, "{\"frames\": [[], []]}");
    CorruptPayloadException more = assertThrows(CorruptPayloadException.class,
        () -> client.detect(Framing.JSON, FRAME));
    assertEquals("the response has more than 1 frames, the request had 1", more.getMessage());
    answer(200, "{\"frames\": [[]]}");
    CorruptPayloadException fewer = assertThrows(CorruptPayloadException.class,
        () -> client.detectBatch(Framing.RAW, List.of(FRAME, FRAME, FRAME)));
    assertEquals("the response has 1 frames, the request had 3", fewer.getMessage());
  }

  @Test
  void oversizedResponseIsRefused() {
    answer(200, ONE_FACE);
    InferenceClient small = InferenceClient.builder(uri()).maxResponseBytes(ONE_FACE.length() - 1).build();
    PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
        () -> small.detect(Framing.JSON, FRAME));
    assertTrue(e.getMessage().contains("larger than " + (ONE_FACE.length() - 1) + " bytes"), e.getMessage());
    // Exactly at the limit is fine.
    InferenceClient exact = InferenceClient.builder(uri()).maxResponseBytes(ONE_FACE.length()).build();
    assertEquals(1, exact.detect(Framing.JSON, FRAME).detections().get(0).size());
  }

  @Test
  void tooManyDetectionsAreRefused() {
    answer(200, "{\"frames\": [[{\"box\": [1, 2, 3, 4], \"score\": 0.5, \"class\": 0},"
        + "{\"box\": [1, 2, 3, 4], \"score\": 0.5, \"class\": 0}]]}");
    InferenceClient capped = InferenceClient.builder(uri()).maxDetectionsPerFrame(1).build();
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
        () -> capped.detect(Framing.JSON, FRAME));
    assertEquals("frames[0] has more than 1 detections", e.getMessage());
  }

  @Test
  void slowServiceTimesOut() {
    answer(200, ONE_FACE);
    delayMillis = 2_000;
    InferenceClient impatient = InferenceClient.builder(uri()).requestTimeout(Duration.ofMillis(200)).build();
    TransportException e = assertThrows(TransportException.class, () -> impatient.detect(Framing.JSON, FRAME));
    assertInstanceOf(HttpTimeoutException.class, e.getCause());
  }

  /**
   * A server that reads the request, sends 200 headers and {@code bodyStart}, then either stalls
   * (endless = false) or streams zeros without end, until its socket is closed.
   */
  private static Thread rawServer(ServerSocket listener, String headers, boolean endless) {
    Thread t = new Thread(() -> {
      try (java.net.Socket s = listener.accept()) {
        s.setSoTimeout(20_000);
        java.io.InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int matched = 0;
        while (matched < 4) { // to the end of the request headers (the body is short)
          int b = in.read();
          if (b < 0) {
            return;
          }
          matched = "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        OutputStream out = s.getOutputStream();
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) { // bounded: 20 s at most
          if (endless) {
            out.write(buf);
          } else {
            Thread.sleep(50);
          }
        }
      } catch (IOException | InterruptedException e) {
        // the client went away: done
      }
    }, "raw-stub");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void aServerThatStallsTheBodyFailsTheCallAtTheDeadline() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      rawServer(listener, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{\"frames\": [", false);
      InferenceClient c = InferenceClient.builder(URI.create("http://127.0.0.1:" + listener.getLocalPort()
          + "/detect")).requestTimeout(Duration.ofSeconds(2)).build();
      long t0 = System.nanoTime();
      TransportException e = assertThrows(TransportException.class, () -> c.detect(Framing.JSON, FRAME));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertInstanceOf(HttpTimeoutException.class, e.getCause());
      assertTrue(e.getMessage().contains("within the 2000 ms deadline"), e.getMessage());
      assertTrue(ms >= 1_900 && ms < 6_000, "the call ended after " + ms + " ms with a 2 s deadline");
    }
  }

  @Test
  void anEndlessBodyIsCutWhileStreaming() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      rawServer(listener, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: identity\r\nConnection: close\r\n\r\n", true);
      InferenceClient c = InferenceClient.builder(URI.create("http://127.0.0.1:" + listener.getLocalPort()
          + "/detect")).maxResponseBytes(1 << 20).requestTimeout(Duration.ofSeconds(15)).build();
      PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class, () -> c.detect(Framing.JSON, FRAME));
      assertTrue(e.getMessage().contains("larger than 1048576 bytes"), e.getMessage());
    }
  }

  @Test
  void theBearerTokenIsSent() {
    AtomicReference<String> seen = new AtomicReference<>();
    stub.createContext("/auth", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        seen.set(ex.getRequestHeaders().getFirst("Authorization"));
        byte[] b = ONE_FACE.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      }
    });
    InferenceClient c = InferenceClient.builder(uri().resolve("/auth")).bearerToken(BearerToken.of("abc.def"))
        .build();
    assertEquals(1, c.detect(Framing.JSON, FRAME).detections().get(0).size());
    assertEquals("Bearer abc.def", seen.get());
  }

  @Test
  void refusedConnectionIsATransportException() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    InferenceClient nobody = InferenceClient.builder(URI.create("http://127.0.0.1:" + port + "/detect")).build();
    TransportException e = assertThrows(TransportException.class, () -> nobody.detect(Framing.RAW, FRAME));
    assertTrue(e.getMessage().startsWith("cannot POST "), e.getMessage());
    assertInstanceOf(IOException.class, e.getCause());
  }

  @Test
  void argumentsAreChecked() {
    IllegalArgumentException framing = assertThrows(IllegalArgumentException.class,
        () -> client.detect(Framing.BASE64, FRAME));
    assertEquals("framing must be JSON or RAW (they carry the frame metadata), got BASE64", framing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> client.detectBatch(Framing.JPEG, List.of(FRAME)));
    assertEquals("endpoint must be an absolute http(s) URI with a host, got ftp://x/detect",
        assertThrows(IllegalArgumentException.class,
            () -> InferenceClient.builder(URI.create("ftp://x/detect"))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> InferenceClient.builder(URI.create("/detect")));
    assertEquals("maxResponseBytes must be positive, got 0", assertThrows(IllegalArgumentException.class,
        () -> InferenceClient.builder(uri()).maxResponseBytes(0)).getMessage());
    assertEquals("maxDetectionsPerFrame must be positive, got -1", assertThrows(IllegalArgumentException.class,
        () -> InferenceClient.builder(uri()).maxDetectionsPerFrame(-1)).getMessage());
    assertEquals("requestTimeout must be positive, got PT0S", assertThrows(IllegalArgumentException.class,
        () -> InferenceClient.builder(uri()).requestTimeout(Duration.ZERO)).getMessage());
    assertEquals("connectTimeout must be positive, got PT-1S", assertThrows(IllegalArgumentException.class,
        () -> InferenceClient.builder(uri()).connectTimeout(Duration.ofSeconds(-1))).getMessage());
  }
}
