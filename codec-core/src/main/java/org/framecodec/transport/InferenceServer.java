package org.framecodec.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;

/**
 * The Java side of {@link InferenceClient}: a JDK {@link HttpServer} that takes frames at {@code
 * POST /detect} in any framing {@link WireReader} detects (JSON envelope or batch, raw container,
 * bare base64 or JPEG), runs a {@link Detector} on their payloads and answers with a {@link
 * DetectionsJson} document.
 *
 * <p>Status codes: 200 with the detections; 400 for a damaged body (the message of the {@link
 * CorruptPayloadException}); 413 when a limit is passed; 415 for a well-formed body we do not
 * handle (or a batch mixing JPEG modes); 405 for a method other than POST; 404 for another path;
 * 500 when the detector fails. Error bodies are one line of {@code text/plain}.
 *
 * <p>Threads and ownership: the detector is not thread-safe, so requests run one at a time on one
 * thread the server owns; other requests wait in the server's accept queue. The server borrows
 * the detector: {@link #close()} stops the server and its thread but does not close the detector.
 * The server object itself is thread-safe. Bodies are checked against {@link Limits} as they
 * arrive ({@code maxDocumentBytes}) and then by the reader.
 *
 * <p>Latency: run the JVM with {@code -Dsun.net.httpserver.nodelay=true} (or set it before the
 * first server starts). The JDK server writes headers and body separately, and with Nagle's
 * algorithm on, the small detections body waits for the client's delayed ACK: about 40 ms per
 * request on Linux, measured here as 15 vs 46 frames/s for one frame per request.
 */
public final class InferenceServer implements AutoCloseable {
  /** The path the server answers on. */
  public static final String PATH = "/detect";

  private final HttpServer server;
  private final ExecutorService worker;
  private final Detector detector;
  private final WireReader reader;
  private final Limits limits;
  private final DetectionsJson json = new DetectionsJson();
  private volatile boolean closed;

  private InferenceServer(HttpServer server, Detector detector, Limits limits) {
    this.server = server;
    this.detector = detector;
    this.limits = limits;
    this.reader = new WireReader(limits, JpegMode.CV2_YUV);
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "inference-server-" + server.getAddress().getPort());
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", this::handle);
    server.setExecutor(worker);
  }

  /**
   * Binds to {@code address} (port 0 picks a free port) and starts serving.
   *
   * @param address where to listen; port 0 picks a free port
   * @param detector used for every request; stays the caller's to close, after this server
   * @param limits the size limits to enforce
   * @return the running server; close it
   * @throws IOException when the address cannot be bound
   */
  public static InferenceServer start(InetSocketAddress address, Detector detector, Limits limits)
      throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(limits, "limits");
    InferenceServer s = new InferenceServer(HttpServer.create(address, 64), detector, limits);
    s.server.start();
    return s;
  }

  /** {@return the bound address (the actual port when 0 was asked for)} */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@return {@code http://host:port/detect}} */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + PATH);
  }

  /** Stops accepting, lets a running request finish (up to 1 s), stops the thread; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(1);
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!PATH.equals(ex.getRequestURI().getPath())) {
        reply(ex, 404, "no such path: " + ex.getRequestURI().getPath() + " (use " + PATH + ")");
        return;
      }
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "POST");
        reply(ex, 405, "method " + ex.getRequestMethod() + " not allowed, use POST");
        return;
      }
      byte[] body;
      try {
        body = readBody(ex.getRequestBody());
      } catch (PayloadTooLargeException e) {
        reply(ex, 413, e.getMessage());
        return;
      }
      List<List<Detection>> result;
      try {
        result = detect(reader.read(body));
      } catch (PayloadTooLargeException e) {
        reply(ex, 413, e.getMessage());
        return;
      } catch (CorruptPayloadException e) {
        reply(ex, 400, e.getMessage());
        return;
      } catch (FrameFormatException e) {
        reply(ex, 415, e.getMessage());
        return;
      } catch (RuntimeException e) {
        reply(ex, 500, "detector failed: " + e);
        return;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * result.size());
      json.write(result, out);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.size());
      out.writeTo(ex.getResponseBody());
    }
  }

  private List<List<Detection>> detect(WireMessage msg) {
    List<EncodedFrame> frames = msg.frames();
    if (frames.isEmpty()) {
      return List.of();
    }
    return detector.detectEncoded(frames).all();
  }

  private byte[] readBody(InputStream in) throws IOException {
    long max = limits.maxDocumentBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > max) {
        throw new PayloadTooLargeException("request body is larger than maxDocumentBytes " + max);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void reply(HttpExchange ex, int status, String message) throws IOException {
    byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }
}
