package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol's REST endpoints on the real receiver, attacked over raw sockets with what a
 * well-behaved client never sends: header lengths past any body, lying {@code binary_data_size}
 * values, BYTES length prefixes that run past the end, missing and wrong tokens, clients that
 * send headers or bodies a byte at a time. Every attack gets its status and, once a route is
 * reached, the protocol's {@code {"error"}} naming the problem; none stops the server answering a
 * real request right after (or during) it.
 */
class OipReceiverAttackTest {
  private static final String INFER = "/v2/models/detector/infer";
  private static Detector detector;
  private static List<EncodedFrame> one;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() {
    detector = Detector.open(DetectorOptions.blazeFace(OipTestData.frontModel()));
    one = OipTestData.frames().subList(0, 1);
    expected = detector.detectEncoded(one).all();
    assertEquals(1, expected.get(0).size());
  }

  @AfterAll
  static void stop() {
    detector.close();
  }

  private static InferenceServer server(ServerOptions options, BearerToken token) throws IOException {
    InferenceServer.Builder b = InferenceServer.builder().detector(detector).options(options);
    if (token != null) {
      b.token(token);
    }
    return OipRoutes.install(b, OipRoutes.service("detector", b.detectionGate())).start();
  }

  private static URI base(InferenceServer s) {
    return URI.create("http://127.0.0.1:" + s.address().getPort());
  }

  /** A real request, which must still be answered correctly. */
  private static void stillServes(InferenceServer s, String token) {
    OipClient.Builder b = OipClient.builder(base(s)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.token(token);
    }
    try (OipClient c = b.build()) {
      assertEquals(expected, c.detect(one));
    }
  }

  private static String imagesJson(String shape, long binaryDataSize) {
    return "{\"inputs\":[{\"name\":\"images\",\"shape\":" + shape + ",\"datatype\":\"BYTES\","
        + "\"parameters\":{\"binary_data_size\":" + binaryDataSize + "}}]}";
  }

  /** One BYTES element: a 4-byte little-endian length, then the bytes. */
  private static byte[] element(int declaredLength, byte[] bytes) {
    return ByteBuffer.allocate(4 + bytes.length).order(ByteOrder.LITTLE_ENDIAN).putInt(declaredLength).put(bytes).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A response read off a raw socket; status -1 when the server closed without one. */
  private record Response(int status, String headers, String body) {}

  /** HTTP/1.1 by hand: every read has a timeout, nothing loops without a bound. */
  private static final class Raw implements AutoCloseable {
    final Socket socket = new Socket();

    Raw(InferenceServer s, int timeoutMs) throws IOException {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.address().getPort()), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      socket.setTcpNoDelay(true);
    }

    void send(byte[] bytes) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    }

    Response post(String path, String extraHeaders, byte[] body) throws IOException {
      send(ascii("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\nContent-Length: "
          + body.length + "\r\n" + extraHeaders + "\r\n"));
      try {
        send(body);
      } catch (IOException refusedEarly) {
        // A server may answer from the headers (401, 413) and close before the body is in.
      }
      return read();
    }

    Response read() throws IOException {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return new Response(-1, head.toString(StandardCharsets.ISO_8859_1), "");
        }
        head.write(b);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1);
      int length = 0;
      for (String line : headers.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return new Response(Integer.parseInt(headers.substring(9, 12)), headers, body);
    }

    /** True when the server closed the connection (EOF or reset) within {@code timeoutMs}. */
    boolean closedByServerWithin(int timeoutMs) throws IOException {
      socket.setSoTimeout(timeoutMs);
      try {
        byte[] sink = new byte[4096];
        while (socket.getInputStream().read(sink) >= 0) {
          // drain whatever the server says before it closes
        }
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return String.valueOf(e.getMessage()).toLowerCase().contains("reset");
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void assertProtocolError(int status, String message, Response r) {
    assertEquals(status, r.status(), r.headers() + r.body());
    assertTrue(r.headers().toLowerCase().contains("content-type: application/json"), r.headers());
    assertEquals("{\"error\":\"" + message + "\"}", r.body());
  }

  private static Response send(InferenceServer s, String headerLength, byte[] body) throws IOException {
    try (Raw c = new Raw(s, 10_000)) {
      return c.post(INFER, headerLength == null ? "" : "Inference-Header-Content-Length: " + headerLength + "\r\n", body);
    }
  }

  @Test
  void hugeAndMalformedHeaderLengthsGetTheProtocolsError() throws Exception {
    String json = imagesJson("[1]", 7);
    byte[] body = concat(ascii(json), element(3, ascii("abc")));
    try (InferenceServer s = server(ServerOptions.defaults(), null)) {
      for (String huge : List.of("2147483648", "4294967296", "999999999999999999")) {
        assertProtocolError(400, "Inference-Header-Content-Length " + huge + " is larger than the body of "
            + body.length + " bytes", send(s, huge, body));
      }
      for (String bad : List.of("9223372036854775808", "99999999999999999999999999", "-1", "0x40", "1e9")) {
        assertProtocolError(400, "Inference-Header-Content-Length '" + bad + "' is not a non-negative integer",
            send(s, bad, body));
      }
      stillServes(s, null);
    }
  }

  @Test
  void lyingBinaryDataSizesGetTheProtocolsError() throws Exception {
    byte[] tail = element(3, ascii("abc"));
    try (InferenceServer s = server(ServerOptions.defaults(), null)) {
      String small = imagesJson("[1]", 5);
      assertProtocolError(400, "the binary_data_size values add up to 5 bytes, but 7 bytes follow the JSON header"
          + " (Inference-Header-Content-Length " + small.length() + ", body " + (small.length() + 7) + ")",
          send(s, Integer.toString(small.length()), concat(ascii(small), tail)));
      for (long big : List.of(8L, 1L << 40, Long.MAX_VALUE)) {
        String json = imagesJson("[1]", big);
        assertProtocolError(400, "binary_data_size of input 'images' (" + big + ") runs past the end of the body:"
            + " 7 bytes follow the JSON header and the tensors before it take 0",
            send(s, Integer.toString(json.length()), concat(ascii(json), tail)));
      }
      String negative = imagesJson("[1]", -7);
      assertProtocolError(400, "input 'images' binary_data_size must be a non-negative integer, got -7",
          send(s, Integer.toString(negative.length()), concat(ascii(negative), tail)));
      stillServes(s, null);
    }
  }

  @Test
  void bytesLengthPrefixesPastTheEndGetTheProtocolsError() throws Exception {
    try (InferenceServer s = server(ServerOptions.defaults(), null)) {
      for (int declared : List.of(-1, Integer.MAX_VALUE, 8)) {
        String json = imagesJson("[1]", 11);
        assertProtocolError(400, "tensor 'images': BYTES element 0 declares " + Integer.toUnsignedString(declared)
            + " bytes, only 7 are left in the tensor data",
            send(s, Integer.toString(json.length()), concat(ascii(json), element(declared, ascii("abcdefg")))));
      }
      // The second element's length prefix itself is cut off.
      String two = imagesJson("[2]", 9);
      assertProtocolError(400, "tensor 'images': BYTES element 1 of 2 has no room for its length (2 bytes left)",
          send(s, Integer.toString(two.length()), concat(ascii(two), element(3, ascii("abc")), new byte[2])));
      // A million declared elements in seven bytes.
      String many = imagesJson("[1000000]", 7);
      assertProtocolError(400, "tensor 'images' declares 1000000 BYTES elements, but 7 bytes of data hold at most 1",
          send(s, Integer.toString(many.length()), concat(ascii(many), element(3, ascii("abc")))));
      stillServes(s, null);
    }
  }

  @Test
  void aMissingOrWrongTokenIsRefusedOnEveryV2Route() throws Exception {
    String json = imagesJson("[1]", 4 + one.get(0).payloadLength());
    byte[] body = concat(ascii(json), element(one.get(0).payloadLength(), one.get(0).payloadCopy()));
    try (InferenceServer s = server(ServerOptions.defaults(), BearerToken.of("right-token-for-tests"))) {
      for (String auth : List.of("", "Authorization: Bearer wrong-token-for-tests\r\n",
          "Authorization: Bearer right-token-for-tests-but-longer\r\n", "Authorization: Basic cmlnaHQ=\r\n")) {
        try (Raw c = new Raw(s, 10_000)) {
          // Headers only: the token is judged from them, before a byte of the body is read.
          c.send(ascii("POST " + INFER + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length
              + "\r\nInference-Header-Content-Length: " + json.length() + "\r\n" + auth + "\r\n"));
          Response r = c.read();
          assertEquals(401, r.status(), auth + ": " + r.headers() + r.body());
          assertTrue(c.closedByServerWithin(5_000), auth);
        }
        try (Raw c = new Raw(s, 10_000)) {
          c.send(ascii("GET /v2/models/detector HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n"));
          assertEquals(401, c.read().status(), auth);
        }
      }
      try (OipClient wrong = OipClient.builder(base(s)).token("wrong-token-for-tests").build()) {
        OipStatusException e = org.junit.jupiter.api.Assertions.assertThrows(OipStatusException.class,
            wrong::modelMetadata);
        assertEquals(401, e.httpStatus());
        // A POST refused from its headers while the body is still going up: the receiver lingers
        // before it closes, so the client reads the 401 rather than a reset connection.
        for (int i = 0; i < 5; i++) {
          OipStatusException p = org.junit.jupiter.api.Assertions.assertThrows(OipStatusException.class,
              () -> wrong.detect(OipTestData.frames()));
          assertEquals(401, p.httpStatus());
        }
      }
      stillServes(s, "right-token-for-tests");
    }
  }

  @Test
  void aClientTricklingItsBodyIsCutOffWhileOthersAreServed() throws Exception {
    ServerOptions opts = ServerOptions.builder().bodyGrace(Duration.ofSeconds(1)).minBodyBytesPerSecond(1024).build();
    String json = imagesJson("[1]", 1 << 20);
    try (InferenceServer s = server(opts, null); Raw c = new Raw(s, 10_000)) {
      c.send(ascii("POST " + INFER + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + (json.length() + (1 << 20))
          + "\r\nInference-Header-Content-Length: " + json.length() + "\r\n\r\n"));
      long t0 = System.nanoTime();
      boolean servedMeanwhile = false;
      try {
        // A byte every 100 ms, for at most 4 s, until the server's answer arrives (it lingers
        // before closing, so further bytes need not fail).
        for (int i = 0; i < 40 && c.socket.getInputStream().available() == 0; i++) {
          c.send(new byte[] {(byte) json.charAt(i)});
          Thread.sleep(100);
          if (i == 3) {
            stillServes(s, null);
            servedMeanwhile = true;
          }
        }
      } catch (IOException closedOnUs) {
        // expected: the server answers and closes
      }
      Response r = c.read();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(408, r.status(), r.body());
      assertTrue(r.body().contains("request body too slow"), r.body());
      assertTrue(ms < 3_500, "cut after " + ms + " ms; grace 1 s");
      assertTrue(servedMeanwhile, "a real request was answered while the trickle went on");
      assertTrue(c.closedByServerWithin(5_000));
      stillServes(s, null);
    }
  }

  @Test
  void clientsThatSendHeadersAByteAtATimeAreCutOffAtTheHeaderTimeout() throws Exception {
    ServerOptions opts = ServerOptions.builder().headerTimeout(Duration.ofSeconds(2)).build();
    try (InferenceServer s = server(opts, null)) {
      List<Raw> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          Raw r = new Raw(s, 10_000);
          r.send(ascii("POST /v2/mo")); // part of a request line, then nothing
          slow.add(r);
        }
        stillServes(s, null);
        long t0 = System.nanoTime();
        int cut = 0;
        for (Raw r : slow) {
          if (r.closedByServerWithin((int) Math.max(1, 6_000 - (System.nanoTime() - t0) / 1_000_000))) {
            cut++;
          }
        }
        assertEquals(slow.size(), cut, "slow-header connections closed by the server within 6 s (timeout 2 s)");
      } finally {
        for (Raw r : slow) {
          r.close();
        }
      }
      stillServes(s, null);
    }
  }

  @Test
  void aHugeContentLengthIsRefusedBeforeAnyBodyIsRead() throws Exception {
    try (InferenceServer s = server(ServerOptions.defaults(), null); Raw c = new Raw(s, 10_000)) {
      c.send(ascii("POST " + INFER + " HTTP/1.1\r\nHost: t\r\nContent-Length: 10737418240\r\n"
          + "Inference-Header-Content-Length: 100\r\n\r\n"));
      Response r = c.read(); // not a byte of the body was sent
      assertEquals(413, r.status(), r.body());
      assertTrue(r.body().contains("Content-Length 10737418240 is larger than the limit"), r.body());
      assertEquals(0, s.stats().inFlightBodyBytes());
      stillServes(s, null);
    }
  }
}
