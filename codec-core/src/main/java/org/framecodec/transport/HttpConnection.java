package org.framecodec.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection of an {@link InferenceServer}, after Netty's codec: the request state
 * machine with its timers, the checks made from the headers, the body read, and the hand-off to a
 * worker. Runs on the connection's event loop and never blocks it.
 *
 * <pre>
 *   AWAIT_HEADERS --headers ok--> BODY --last byte--> PROCESSING --response written--> AWAIT_HEADERS
 *        |                          |                                                    (keep-alive)
 *        +-- timeout, bad headers, 401/404/405/413/503 from the headers --> CLOSING (answer, close)
 * </pre>
 *
 * <ul>
 *   <li>Headers: within {@code headerTimeout} of the connection's start (TLS included), or of the
 *       first byte of a later request; an idle keep-alive connection is closed after
 *       {@code idleTimeout}. Late headers get 408.</li>
 *   <li>From the headers alone: the token (401; the route's own, else the server's), route (404,
 *       405), {@code Content-Length} against the body limit (413, nothing read) and the in-flight
 *       body budget (503).</li>
 *   <li>Body: into one pooled array sized from {@code Content-Length}; a chunked body is counted
 *       and budgeted as it arrives and copied once at its end. Its average rate must stay above
 *       {@code minBodyBytesPerSecond} after {@code bodyGrace} (else 408).</li>
 *   <li>While a request is processed the connection reads nothing (back-pressure); a pipelined
 *       request is not served: the connection closes after the current response.</li>
 *   <li>Every response, and every refusal, is told to the server's {@link ServerListener}s as it
 *       is handed to the network, labelled with the route's pattern (never the raw path).</li>
 * </ul>
 *
 * Owns the body array and the budget reservations of its current request until the response has
 * been written (or the connection is gone and the worker is done). Not thread-safe: event loop only.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
  private enum State { AWAIT_HEADERS, BODY, PROCESSING, CLOSING }

  /** How long, and how many bytes, a refused client's remaining upload is read and dropped. */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
  static final long LINGER_BYTES = 8L << 20;
  private boolean lingering;
  private long lingerLeft;

  private static final long RATE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final ServerCore core;
  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_HEADERS;
  private ScheduledFuture<?> timer;
  private boolean requestStarted;
  private boolean firstRequest = true;
  private boolean closeAfterResponse;
  /** The current request's route pattern, for listeners; set once its headers are read. */
  private String route = ServerListener.UNMATCHED;
  /** When the current request's first byte arrived (the connection's start until one does). */
  private long startNanos;
  private boolean scrapeLane;

  private HttpRequest request;
  private Endpoint endpoint;
  private String path;
  private String query;
  private boolean keepAlive;
  private long declaredLength;
  private byte[] body;
  private int received;
  private CompositeByteBuf chunks;
  private long reservedBody;
  private long bodyStartNanos;
  /** Whether this connection's request is counted in {@code core.inFlight} (from its headers on). */
  private boolean counted;

  HttpConnection(ServerCore core) {
    this.core = core;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    startNanos = System.nanoTime();
    schedule(core.options.headerTimeout().toNanos(), this::headersLate);
    super.channelActive(ctx);
  }

  /** A byte arrived (seen before the codec): a later request's header timeout starts now. */
  void bytesArrived() {
    if (state == State.AWAIT_HEADERS && !requestStarted) {
      requestStarted = true;
      startNanos = System.nanoTime();
      if (!firstRequest) {
        schedule(core.options.headerTimeout().toNanos(), this::headersLate);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest r) {
        onRequest(r);
      }
      if (msg instanceof HttpContent c) {
        onContent(c);
      }
    } catch (OutOfMemoryError e) {
      // An array for a body could not be had: answer, drop this connection, keep the server.
      if (state != State.PROCESSING) {
        sendAndClose(ErrorResponses.busy("server is out of memory for this request's body ("
            + e.getMessage() + "); retry", core.options.retryAfterSeconds()));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(HttpRequest r) {
    if (state != State.AWAIT_HEADERS) {
      closeAfterResponse = true; // pipelined: not served, see the class comment
      return;
    }
    cancelTimer();
    received = 0;
    route = ServerListener.UNMATCHED;
    if (r.decoderResult().isFailure()) {
      Throwable cause = r.decoderResult().cause();
      int status = cause instanceof TooLongHttpHeaderException ? 431
          : cause instanceof TooLongHttpLineException ? 414
          : cause instanceof TooLongFrameException ? 431 : 400;
      sendAndClose(ServerResponse.text(status, "malformed HTTP request: " + cause.getMessage()));
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(r.uri());
    try {
      path = uri.path();
    } catch (IllegalArgumentException e) {
      sendAndClose(ServerResponse.text(400, "malformed request path: " + e.getMessage()));
      return;
    }
    query = uri.rawQuery();
    // Matched before the token is checked only to label the request; the answer's order stays:
    // shutting down, then the token, then the route.
    Routes.Match match = core.routes.find(r.method().name(), path);
    route = match.pattern();
    if (core.draining) {
      core.events.refused(RefusalReason.SHUTTING_DOWN);
      sendAndClose(ErrorResponses.busy("the server is shutting down", core.options.retryAfterSeconds()));
      return;
    }
    BearerToken required = match.route() != null && match.route().token() != null
        ? match.route().token() : core.token;
    if (required != null && !required.matches(r.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      sendAndClose(ServerResponse.text(401, r.headers().contains(HttpHeaderNames.AUTHORIZATION)
          ? "wrong bearer token" : "this server requires 'Authorization: Bearer <token>'")
          .withHeader("WWW-Authenticate", "Bearer realm=\"framecodec\""));
      return;
    }
    if (match.endpoint() == null) {
      if (match.status() == 404) {
        sendAndClose(ServerResponse.text(404, "no such path: " + path + " (routes: "
            + core.routes.describe() + ")"));
      } else {
        sendAndClose(ServerResponse.text(405, "method " + r.method() + " not allowed on " + path
            + ", use " + String.join(" or ", match.allowed()))
            .withHeader("Allow", String.join(", ", match.allowed())));
      }
      return;
    }
    endpoint = match.endpoint();
    scrapeLane = match.route().scrapeLane();
    keepAlive = HttpUtil.isKeepAlive(r);
    long max = core.maxBodyBytes();
    if (HttpUtil.isTransferEncodingChunked(r)) {
      declaredLength = -1;
    } else {
      try {
        declaredLength = HttpUtil.getContentLength(r, 0L);
      } catch (NumberFormatException e) {
        sendAndClose(ServerResponse.text(400, "Content-Length is not a number: "
            + r.headers().get(HttpHeaderNames.CONTENT_LENGTH)));
        return;
      }
      if (declaredLength > max) {
        sendAndClose(ServerResponse.text(413, "Content-Length " + declaredLength
            + " is larger than the limit of " + max + " bytes (maxDocumentBytes); nothing was read"));
        return;
      }
      if (!core.bodyBytes.tryReserve(declaredLength)) {
        core.events.refused(RefusalReason.BODY_BUDGET);
        sendAndClose(ErrorResponses.busy("the server holds " + core.bodyBytes.used() + " of its "
            + core.bodyBytes.capacity() + " in-flight body bytes; a body of " + declaredLength
            + " does not fit now, retry", core.options.retryAfterSeconds()));
        return;
      }
      reservedBody = declaredLength;
    }
    request = r;
    received = 0;
    counted = true;
    core.inFlight.incrementAndGet(); // a drain waits for requests whose body is still arriving
    if (declaredLength >= 0) {
      body = core.pool.acquire((int) declaredLength);
    } else {
      chunks = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }
    if (HttpUtil.is100ContinueExpected(r)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    state = State.BODY;
    bodyStartNanos = System.nanoTime();
    schedule(RATE_CHECK_NANOS, this::checkBodyRate);
  }

  private void onContent(HttpContent c) {
    if (state != State.BODY) {
      return;
    }
    ByteBuf data = c.content();
    int n = data.readableBytes();
    if (n > 0) {
      if (declaredLength >= 0) {
        if (received + (long) n > declaredLength) {
          sendAndClose(ServerResponse.text(400, "body is longer than its Content-Length " + declaredLength));
          return;
        }
        data.readBytes(body, received, n);
      } else {
        long max = core.maxBodyBytes();
        if (received + (long) n > max) {
          sendAndClose(ServerResponse.text(413, "chunked body passed the limit of " + max
              + " bytes (maxDocumentBytes) after " + received + " bytes; the rest was not read"));
          return;
        }
        if (!core.bodyBytes.tryReserve(n)) {
          core.events.refused(RefusalReason.BODY_BUDGET);
          sendAndClose(ErrorResponses.busy("the server holds " + core.bodyBytes.used() + " of its "
              + core.bodyBytes.capacity() + " in-flight body bytes; retry", core.options.retryAfterSeconds()));
          return;
        }
        reservedBody += n;
        chunks.addComponent(true, data.retain());
      }
      received += n;
    }
    if (c instanceof LastHttpContent) {
      bodyComplete();
    }
  }

  private void checkBodyRate() {
    if (state != State.BODY) {
      return;
    }
    long elapsed = System.nanoTime() - bodyStartNanos;
    long beyondGrace = elapsed - core.options.bodyGrace().toNanos();
    if (beyondGrace > 0) {
      double required = core.options.minBodyBytesPerSecond() * (beyondGrace / 1e9);
      if (received < required) {
        core.events.refused(RefusalReason.SLOW_BODY);
        sendAndClose(ServerResponse.text(408, "request body too slow: " + received + " bytes in "
            + String.format(Locale.ROOT, "%.1f", elapsed / 1e9) + " s, under the minimum of "
            + core.options.minBodyBytesPerSecond() + " bytes/s after a grace of "
            + core.options.bodyGrace().toSeconds() + " s"));
        return;
      }
    }
    schedule(RATE_CHECK_NANOS, this::checkBodyRate);
  }

  private void headersLate() {
    if (state != State.AWAIT_HEADERS) {
      return;
    }
    if (!requestStarted && !firstRequest) {
      ctx.close(); // an idle keep-alive connection: nothing to answer
      state = State.CLOSING;
      return;
    }
    core.events.refused(RefusalReason.HEADER_TIMEOUT);
    sendAndClose(ServerResponse.text(408, "request headers did not arrive within "
        + core.options.headerTimeout().toMillis() + " ms"));
  }

  private void bodyComplete() {
    cancelTimer();
    if (declaredLength < 0) {
      body = core.pool.acquire(received);
      chunks.readBytes(body, 0, received);
      chunks.release();
      chunks = null;
    }
    state = State.PROCESSING;
    ctx.channel().config().setAutoRead(false);
    ServerRequest sr = new ServerRequest(request.method().name(), path, query, headers(request),
        body, received, (InetSocketAddress) ctx.channel().remoteAddress());
    Endpoint e = endpoint;
    java.util.concurrent.ThreadPoolExecutor lane = scrapeLane ? core.scrapes : core.workers;
    try {
      lane.execute(() -> {
        ServerResponse resp;
        try {
          resp = e.handle(sr);
        } catch (Throwable t) {
          if (t instanceof ServerBusyException) {
            core.events.refused(t instanceof PixelBudgetException
                ? RefusalReason.PIXEL_BUDGET : RefusalReason.ENDPOINT_BUSY);
          }
          resp = ErrorResponses.of(t, sr, core.options.retryAfterSeconds());
        }
        ServerResponse done = resp;
        ctx.executor().execute(() -> respond(done));
      });
    } catch (RejectedExecutionException full) {
      core.events.refused(RefusalReason.QUEUE_FULL);
      respond(ErrorResponses.busy(scrapeLane
          ? "a scrape is already running and another waiting; retry"
          : "the request queue is full (" + core.workers.getQueue().size() + " waiting for "
              + core.options.workers() + " workers); retry", core.options.retryAfterSeconds()));
    }
  }

  /** Writes the response of the request in PROCESSING, then frees it and reads on or closes. */
  private void respond(ServerResponse resp) {
    boolean close = !keepAlive || closeAfterResponse || core.draining || !ctx.channel().isActive();
    write(resp, close).addListener(f -> {
      releaseRequest();
      if (close || !f.isSuccess()) {
        state = State.CLOSING;
        ctx.close();
        return;
      }
      state = State.AWAIT_HEADERS;
      requestStarted = false;
      received = 0;
      route = ServerListener.UNMATCHED;
      firstRequest = false;
      schedule(core.options.idleTimeout().toNanos(), this::headersLate);
      ctx.channel().config().setAutoRead(true);
    });
  }

  /** Answers from the event loop without reading the rest of the request, and closes. */
  private void sendAndClose(ServerResponse resp) {
    cancelTimer();
    state = State.CLOSING;
    releaseRequest();
    write(resp, true).addListener((ChannelFutureListener) this::lingerThenClose);
  }

  /**
   * Closes after a refusal without destroying it. A client may still be sending the body it was
   * refused for (a 413 is decided from the headers); closing a socket with unread data makes the
   * kernel answer with a reset, and a reset can reach the client before it has read the response,
   * which it then never sees. So the server stops sending (FIN after the response) and reads and
   * drops what still arrives, for at most {@link #LINGER_NANOS} and {@link #LINGER_BYTES}, before
   * it closes; nginx's lingering close does the same. TLS connections close at once (their close
   * needs a close_notify the half-close would skip).
   */
  private void lingerThenClose(ChannelFuture written) {
    Channel ch = written.channel();
    if (!written.isSuccess() || !ch.isActive() || !(ch instanceof SocketChannel socket)
        || ch.pipeline().get("tls") != null) {
      ch.close();
      return;
    }
    lingering = true;
    lingerLeft = LINGER_BYTES;
    ch.config().setAutoRead(true);
    schedule(LINGER_NANOS, ch::close);
    socket.shutdownOutput().addListener(f -> {
      if (!f.isSuccess()) {
        ch.close();
      }
    });
  }

  /** True after a refusal while the rest of the client's bytes are read and dropped. */
  boolean lingering() {
    return lingering;
  }

  /** {@code n} bytes were dropped while lingering; past the budget the connection closes. */
  void drained(int n) {
    lingerLeft -= n;
    if (lingerLeft < 0) {
      ctx.close();
    }
  }

  private io.netty.channel.ChannelFuture write(ServerResponse resp, boolean close) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(resp.status()), Unpooled.wrappedBuffer(resp.body()));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, resp.contentType());
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, resp.body().length);
    resp.headers().forEach((k, v) -> r.headers().set(k, v));
    r.headers().set(HttpHeaderNames.CONNECTION, close ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
    core.counted(resp.status());
    // Told before the write, so a client that has its answer finds it counted.
    core.events.responded(route, resp.status(), received, resp.body().length, System.nanoTime() - startNanos);
    return ctx.writeAndFlush(r);
  }

  private void releaseRequest() {
    if (body != null) {
      core.pool.release(body);
      body = null;
    }
    if (chunks != null) {
      chunks.release();
      chunks = null;
    }
    if (reservedBody > 0) {
      core.bodyBytes.release(reservedBody);
      reservedBody = 0;
    }
    request = null;
    endpoint = null;
    if (counted) {
      counted = false;
      core.inFlight.decrementAndGet();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    if (state != State.PROCESSING) {
      // A worker that is still running owns the request; respond() frees it when it is done.
      releaseRequest();
      state = State.CLOSING;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, TLS handshake failures, write timeouts: nothing to answer on this connection.
    ctx.close();
  }

  private void schedule(long nanos, Runnable task) {
    cancelTimer();
    timer = ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static Map<String, List<String>> headers(HttpRequest r) {
    Map<String, List<String>> m = new HashMap<>();
    for (Map.Entry<String, String> e : r.headers()) {
      m.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue());
    }
    return m;
  }
}
