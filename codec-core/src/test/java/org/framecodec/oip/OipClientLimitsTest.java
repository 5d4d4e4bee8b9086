package org.framecodec.oip;

import static org.framecodec.oip.MisbehavingHttpServer.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.transport.TransportException;
import org.junit.jupiter.api.Test;

/**
 * The client's deadline and response cap against servers that stall, trickle, flood or answer
 * nonsense, over REST: every call ends by its deadline with a typed exception, and a flood costs
 * at most the cap.
 */
class OipClientLimitsTest {
  private static final Duration DEADLINE = Duration.ofMillis(800);
  private static final List<EncodedFrame> ONE = OipTestData.frames().subList(0, 1);

  private static OipClient client(int port) {
    return OipClient.builder(URI.create("http://127.0.0.1:" + port)).timeout(DEADLINE).maxResponseBytes(1 << 20).build();
  }

  /** Runs the call, which must fail with {@code type}, within a few deadlines of wall time. */
  private static <T extends Throwable> T failsInTime(Class<T> type, org.junit.jupiter.api.function.Executable call) {
    long t0 = System.nanoTime();
    T e = assertThrows(type, call);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 5 * DEADLINE.toMillis() + 2000, "took " + ms + " ms for a deadline of " + DEADLINE);
    return e;
  }

  @Test
  void aServerThatSendsHeadersThenStallsIsCutOffAtTheDeadline() throws Exception {
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"outp"));
      out.flush();
      Thread.sleep(60_000);
    }); OipClient c = client(s.port())) {
      TransportException e = failsInTime(TransportException.class, () -> c.detect(ONE));
      assertTrue(e.getMessage().contains("did not complete within PT0.8S"), e.getMessage());
    }
  }

  @Test
  void aServerThatNeverAnswersIsCutOffAtTheDeadline() throws Exception {
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> Thread.sleep(60_000));
        OipClient c = client(s.port())) {
      failsInTime(TransportException.class, () -> c.serverLive());
      // The async form completes exceptionally by the deadline too, without anyone blocking on it.
      CompletableFuture<?> f = c.detectAsync(ONE);
      CompletionException e = failsInTime(CompletionException.class, f::join);
      assertTrue(e.getCause() instanceof TransportException, String.valueOf(e.getCause()));
    }
  }

  @Test
  void aTricklingBodyIsCutOffAtTheDeadline() throws Exception {
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
      for (int i = 0; i < 600; i++) {
        out.write(ascii("1\r\n \r\n"));
        out.flush();
        Thread.sleep(100);
      }
    }); OipClient c = client(s.port())) {
      failsInTime(TransportException.class, () -> c.detect(ONE));
    }
  }

  @Test
  void anEndlessBodyIsRefusedAtTheCapWhileItStreams() throws Exception {
    byte[] chunk = new byte[64 << 10];
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n"));
      for (int i = 0; i < 160_000; i++) {
        out.write(chunk);
      }
    }); OipClient c = client(s.port())) {
      PayloadTooLargeException e = failsInTime(PayloadTooLargeException.class, () -> c.detect(ONE));
      assertTrue(e.getMessage().endsWith("is larger than the limit of 1048576 bytes"), e.getMessage());
    }
  }

  @Test
  void nonsenseAnswersAreCorruptPayloads() throws Exception {
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> out.write(ascii(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")));
        OipClient c = client(s.port())) {
      CorruptPayloadException e = assertThrows(CorruptPayloadException.class, () -> c.detect(ONE));
      assertEquals("the inference response has no 'outputs'", e.getMessage());
    }
    String wrongCount = "{\"outputs\":[{\"name\":\"detections\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"{}\",\"{}\"]}]}";
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> out.write(ascii(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + wrongCount.length() + "\r\n\r\n" + wrongCount)));
        OipClient c = client(s.port())) {
      CorruptPayloadException e = assertThrows(CorruptPayloadException.class, () -> c.detect(ONE));
      assertEquals("output 'detections' must be BYTES [1], got BYTES [2]", e.getMessage());
    }
  }

  @Test
  void anErrorPageThatIsNotJsonKeepsItsStatusAndStart() throws Exception {
    try (MisbehavingHttpServer s = new MisbehavingHttpServer(out -> out.write(ascii(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<html>bad gateway</html>\n")));
        OipClient c = client(s.port())) {
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(ONE));
      assertEquals(502, e.httpStatus());
      assertEquals("<html>bad gateway</html>", e.serverMessage());
    }
  }

  @Test
  void aRefusedConnectionIsATransportException() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (OipClient c = client(port)) {
      TransportException e = failsInTime(TransportException.class, () -> c.detect(ONE));
      assertTrue(e.getMessage().startsWith("cannot connect for POST"), e.getMessage());
    }
  }
}
