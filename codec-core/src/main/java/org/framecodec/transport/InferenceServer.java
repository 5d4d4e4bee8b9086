package org.framecodec.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.framecodec.Limits;
import org.framecodec.detect.Detector;

/**
 * The receiver: an HTTP/1.1 server (Netty) that takes frames at {@code POST /detect} in any
 * framing {@link org.framecodec.wire.WireReader} detects (JSON envelope or batch, raw container,
 * bare base64 or JPEG), runs a {@link Detector} on them and answers with a {@link DetectionsJson}
 * document; more routes can be added ({@link Builder#route}) and get the same protections.
 *
 * <p><b>Built so that one bad client cannot stop it.</b>
 *
 * <ul>
 *   <li>Threads: event-loop threads read and write and never block on a peer; workers run
 *       endpoints from a bounded queue ({@link ServerOptions#queueCapacity()}), and a full queue
 *       answers 503 with {@code Retry-After} at once. The detector is thread-safe and pipelined:
 *       the workers (four by default) call it directly, and their batches share its decode
 *       workers and model.</li>
 *   <li>Time: a header timeout, a minimum body rate after a grace period, an idle timeout for
 *       keep-alive connections, a write timeout, and (with TLS) a handshake timeout; connection
 *       caps in all and per client address ({@link ServerOptions}).</li>
 *   <li>Memory: a {@code Content-Length} over {@link Limits#maxDocumentBytes()} gets 413 before a
 *       byte of the body is read; chunked bodies are counted as they arrive; bodies are read into
 *       pooled arrays sized once, within a process-wide budget of body bytes (503 when full).
 *       Then, before anything is decoded, each frame's JPEG header is read: a declared shape that
 *       disagrees is 400, a frame over the pixel, scan or work limits or a request over
 *       {@link Limits#maxRequestPixels()} is 413, and a request that does not fit the process-wide
 *       {@link Limits#maxInFlightPixels()} now is 503.</li>
 *   <li>Failure: an endpoint's exception becomes its status (see {@link Endpoint}); an
 *       {@link Error}, out of memory included, becomes 503 with the error named, and the server
 *       serves on.</li>
 *   <li>Security: binds to loopback unless given an address; optional bearer token
 *       ({@link BearerToken}, 401 without it); optional TLS with optional client certificates
 *       ({@link TlsOptions}).</li>
 * </ul>
 *
 * <p>Status codes of {@code /detect}: 200 with the detections; 400 for a damaged body or a shape
 * that disagrees with its JPEG; 401 without the token; 404/405 for another path or method; 408
 * for headers or a body too slow; 413 over a limit; 415 for a well-formed body not handled; 431
 * for headers too large; 500 when the detector fails; 503 when busy, over a process budget, on an
 * {@link Error} or while shutting down. Error bodies are one line of {@code text/plain}.
 *
 * <p><b>Metrics.</b> {@link #addListener} attaches a {@link ServerListener}, told about every
 * response and refusal (the binder {@code org.framecodec.metrics.ServerMetrics} is one), and
 * {@link #stats()} reads what is held now. {@link Builder#metrics} serves {@code GET /metrics}
 * (e.g. {@code org.framecodec.metrics.PrometheusEndpoint}, the Prometheus text format) through
 * the route table, so the timeouts, caps and TLS apply to it as to {@code /detect}, and so does
 * the bearer token: the server's, unless {@code /metrics} is given its own. It runs on a thread of
 * its own rather than the workers, so it answers while they are all busy. None of this needs
 * Micrometer in the receiver: only the metrics package refers to it.
 *
 * <p><b>Adding an endpoint</b> (the Open Inference Protocol routes, say): implement
 * {@link Endpoint} and register it with {@link Builder#route}, e.g.
 * {@code .route("POST", "/v2/models/*", myEndpoint)}. It is called on a worker with the whole body
 * read, after the timeouts, caps, token, TLS and body limit have been applied, and answers with a
 * {@link ServerResponse} or by throwing. An endpoint that detects goes through the builder's
 * {@link Builder#detectionGate()}, as {@code /detect} does, so every route shares the detector and
 * the pixel budgets; {@code org.framecodec.oip.OipRoutes} adds the Open Inference Protocol this way.
 *
 * <p>Ownership and threads: the server borrows the detector ({@link #close()} does not close it).
 * The server object is thread-safe. {@link #close()} drains: requests whose headers have arrived
 * (their body still arriving, queued or running) run to their response, new requests get 503,
 * then the connections close, up to
 * {@link ServerOptions#drainTimeout()}.
 */
public final class InferenceServer implements AutoCloseable {
  /** The path of the detection endpoint. */
  public static final String PATH = "/detect";
  /** The path {@link Builder#metrics} serves ({@code GET}). */
  public static final String METRICS_PATH = "/metrics";
  /**
   * The limits a server uses unless given others: {@link Limits#defaults()} with a 64 MiB body
   * (a 64-frame batch of 1080p q90 in base64 JSON is about 15 MB), not 512 MiB: four bodies of the
   * limit stay inside a 1 GB heap.
   */
  public static final Limits DEFAULT_LIMITS = Limits.builder().maxDocumentBytes(64L << 20).build();

  private static final System.Logger LOG = System.getLogger(InferenceServer.class.getName());

  private final ServerCore core;
  private final Channel serverChannel;
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final boolean tls;
  private final DetectionGate gate;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InferenceServer(ServerCore core, Channel serverChannel, EventLoopGroup boss,
      EventLoopGroup io, boolean tls, DetectionGate gate) {
    this.core = core;
    this.gate = gate;
    this.serverChannel = serverChannel;
    this.boss = boss;
    this.io = io;
    this.tls = tls;
  }

  /** {@return a builder: loopback, a free port, {@link #DEFAULT_LIMITS}, default options, no routes yet} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds to {@code address} (port 0 picks a free port) and serves {@code POST /detect} with
   * default options, no token and no TLS.
   *
   * @param address where to listen; port 0 picks a free port
   * @param detector used for every request; stays the caller's to close, after this server
   * @param limits the size limits to enforce
   * @return the running server; close it
   * @throws IOException when the address cannot be bound
   */
  public static InferenceServer start(InetSocketAddress address, Detector detector, Limits limits)
      throws IOException {
    return builder().address(address).detector(detector).limits(limits).start();
  }

  /** {@return the bound address (the actual port when 0 was asked for)} */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * {@return {@code http(s)://host:port/detect}, a URI {@link InferenceClient} accepts: the bound
   * address, or the loopback address when the server listens on every interface}
   */
  public URI uri() {
    InetSocketAddress a = address();
    InetAddress host = a.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a.getAddress();
    String literal = host instanceof Inet6Address
        ? "[" + host.getHostAddress().replaceFirst("%.*$", "") + "]" : host.getHostAddress();
    return URI.create((tls ? "https" : "http") + "://" + literal + ":" + a.getPort() + PATH);
  }

  /** {@return the counters now} */
  public ServerStats stats() {
    return core.stats();
  }

  /** {@return the limits its requests are held to} */
  public Limits limits() {
    return core.limits;
  }

  /** {@return its timeouts, caps and queue} */
  public ServerOptions options() {
    return core.options;
  }

  /**
   * Attaches a listener, told about every response and refusal from now on; adding one twice
   * makes it be told twice. Meant for metrics; see {@link ServerListener}.
   *
   * @param listener the listener
   */
  public void addListener(ServerListener listener) {
    core.events.add(listener);
  }

  /**
   * Detaches one attachment of {@code listener}.
   *
   * @param listener the listener
   * @return false when it was not attached
   */
  public boolean removeListener(ServerListener listener) {
    return core.events.remove(listener);
  }

  /** {@return whether {@link #close()} has begun} */
  public boolean isDraining() {
    return core.draining;
  }

  /**
   * Drains and stops (see the class comment), waiting up to {@link ServerOptions#drainTimeout()}
   * for in-flight requests; idempotent.
   */
  @Override
  public void close() {
    close(core.options.drainTimeout());
  }

  /**
   * {@link #close()} with another drain time.
   *
   * @param drain how long in-flight requests may take to finish
   */
  public void close(Duration drain) {
    Objects.requireNonNull(drain, "drain");
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    core.draining = true;
    if (gate != null) {
      gate.drain();
    }
    long deadline = System.nanoTime() + drain.toNanos();
    try {
      while (core.inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    core.channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    core.workers.shutdownNow();
    if (core.scrapes != null) {
      core.scrapes.shutdownNow();
    }
    try {
      core.workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** Settings for an {@link InferenceServer}. Not thread-safe. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Limits limits = DEFAULT_LIMITS;
    private ServerOptions options = ServerOptions.defaults();
    private BearerToken token;
    private TlsOptions tlsOptions;
    private Detector detector;
    private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private final Routes routes = new Routes();
    private DetectionGate gate;

    private Builder() {}

    /**
     * Where to listen; loopback and a free port unless set.
     *
     * @param value the address; port 0 picks a free one
     * @return this builder
     */
    public Builder address(InetSocketAddress value) {
      this.address = Objects.requireNonNull(value, "address");
      return this;
    }

    /**
     * What frames and bodies may declare; {@link #DEFAULT_LIMITS} unless set.
     *
     * @param value the limits
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Timeouts, caps and the queue; {@link ServerOptions#defaults()} unless set.
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(ServerOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * Requires this bearer token on every request.
     *
     * @param value the token
     * @return this builder
     */
    public Builder token(BearerToken value) {
      this.token = Objects.requireNonNull(value, "token");
      return this;
    }

    /**
     * Serves HTTPS.
     *
     * @param value the key pair and, optionally, the client certificates required
     * @return this builder
     */
    public Builder tls(TlsOptions value) {
      this.tlsOptions = Objects.requireNonNull(value, "tls");
      return this;
    }

    /**
     * Serves {@code POST /detect} with this detector, which the server borrows.
     *
     * @param value the detector; the caller closes it after the server
     * @return this builder
     */
    public Builder detector(Detector value) {
      this.detector = Objects.requireNonNull(value, "detector");
      return this;
    }

    /**
     * Event-loop threads for connections; they never block, so few are needed.
     *
     * @param value threads, at least 1
     * @return this builder
     */
    public Builder ioThreads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("ioThreads must be positive, got " + value);
      }
      this.ioThreads = value;
      return this;
    }

    /**
     * The gate through which this server will run its detector ({@link DetectionGate}: header
     * budgets, the in-flight pixel budget, one request at a time), made now so that routes added
     * to this builder, and servers beside it (a gRPC port), can detect through the same budget and
     * detector as {@code POST /detect}. Call it after {@link #detector} and {@link #limits}; the
     * same gate is returned each time.
     *
     * @return the gate
     * @throws IllegalStateException when no detector was given
     */
    public DetectionGate detectionGate() {
      if (detector == null) {
        throw new IllegalStateException("give the server a detector before asking for its gate");
      }
      if (gate == null) {
        gate = new DetectionGate(detector, limits);
      }
      return gate;
    }

    /**
     * Adds a route: {@code method} (e.g. {@code POST}) and an exact {@code path}, or a prefix
     * ending in {@code /*}. See {@link Endpoint} for what the server has checked before calling it.
     *
     * @param method the HTTP method
     * @param path the path, or a prefix ending in {@code /*}
     * @param endpoint what answers
     * @return this builder
     * @throws IllegalArgumentException when the path does not start with '/' or the route is taken
     */
    public Builder route(String method, String path, Endpoint endpoint) {
      routes.add(method, path, endpoint);
      return this;
    }

    /**
     * Serves {@code GET /metrics} with {@code endpoint} (for Prometheus:
     * {@code new org.framecodec.metrics.PrometheusEndpoint(registry)}), behind the server's bearer
     * token when it has one: a scraper sends the same {@code Authorization: Bearer} header as a
     * client. The endpoint runs on one thread of its own with room for one more scrape waiting,
     * not on the workers, so it answers while they are all busy; it must not block.
     *
     * @param endpoint renders the metrics
     * @return this builder
     * @throws IllegalArgumentException when {@code GET /metrics} is already routed
     */
    public Builder metrics(Endpoint endpoint) {
      routes.add("GET", METRICS_PATH, endpoint, null, true);
      return this;
    }

    /**
     * {@link #metrics(Endpoint)} behind a token of its own instead of the server's, so that a
     * scraper's credential cannot post frames and a client's cannot read the metrics.
     *
     * @param endpoint renders the metrics
     * @param scrapeToken the token {@code GET /metrics} requires (and the only one it takes)
     * @return this builder
     * @throws IllegalArgumentException when {@code GET /metrics} is already routed
     */
    public Builder metrics(Endpoint endpoint, BearerToken scrapeToken) {
      routes.add("GET", METRICS_PATH, endpoint, Objects.requireNonNull(scrapeToken, "scrapeToken"), true);
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @return the running server; close it
     * @throws IOException when the address cannot be bound or TLS cannot be set up
     * @throws IllegalStateException when there is no route (no detector and none added)
     */
    public InferenceServer start() throws IOException {
      if (gate != null && (gate.detector() != detector || gate.limits() != limits)) {
        throw new IllegalStateException("the detector or the limits changed after detectionGate(); set them first");
      }
      if (detector != null && gate == null) {
        gate = new DetectionGate(detector, limits);
      }
      MemoryBudget pixels = gate != null ? gate.pixels()
          : new MemoryBudget("in-flight pixels", limits.maxInFlightPixels());
      if (gate != null) {
        routes.add("POST", PATH, new DetectEndpoint(gate));
      }
      if (routes.describe().isEmpty()) {
        throw new IllegalStateException("the server has no route: give it a detector or add a route");
      }
      SslContext ssl = tlsOptions == null ? null : tlsOptions.nettyContext();
      ThreadPoolExecutor workers = new ThreadPoolExecutor(options.workers(), options.workers(), 0,
          TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(options.queueCapacity()),
          new DefaultThreadFactory("inference-worker", true), new ThreadPoolExecutor.AbortPolicy());
      // One scrape at a time and one waiting: a scraper asks every few seconds, never in bursts.
      ThreadPoolExecutor scrapes = !routes.hasScrapeLane() ? null : new ThreadPoolExecutor(1, 1, 0,
          TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), new DefaultThreadFactory("inference-metrics", true),
          new ThreadPoolExecutor.AbortPolicy());
      ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
      ServerCore core = new ServerCore(options, limits, routes, token, pixels, workers, scrapes, channels,
          new ServerEvents());
      EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
          new DefaultThreadFactory("inference-accept", true), NioIoHandler.newFactory());
      EventLoopGroup io = new MultiThreadIoEventLoopGroup(ioThreads,
          new DefaultThreadFactory("inference-io", true), NioIoHandler.newFactory());
      ConnectionLimiter limiter = new ConnectionLimiter(core);
      HttpDecoderConfig http = new HttpDecoderConfig().setMaxInitialLineLength(8192)
          .setMaxHeaderSize(16384).setMaxChunkSize(1 << 16);
      long headerMillis = options.headerTimeout().toMillis();
      ServerBootstrap b = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              channels.add(ch);
              ChannelPipeline p = ch.pipeline();
              p.addLast("limit", limiter);
              if (ssl != null) {
                SslHandler h = ssl.newHandler(ch.alloc());
                h.setHandshakeTimeoutMillis(headerMillis);
                p.addLast("tls", h);
              }
              HttpConnection connection = new HttpConnection(core);
              p.addLast("bytes", new ByteWatcher(connection));
              p.addLast("http", new HttpServerCodec(http));
              p.addLast("write-timeout", new WriteTimeoutHandler(options.writeTimeout().toMillis(),
                  TimeUnit.MILLISECONDS));
              p.addLast("request", connection);
            }
          });
      Channel ch;
      try {
        ch = b.bind(address).sync().channel();
      } catch (Exception e) {
        workers.shutdownNow();
        if (scrapes != null) {
          scrapes.shutdownNow();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        throw new IOException("cannot listen on " + address + ": " + e, e);
      }
      if (address.getAddress() != null && address.getAddress().isAnyLocalAddress()) {
        LOG.log(System.Logger.Level.INFO, "inference server listens on every interface ("
            + ch.localAddress() + "), as asked");
      }
      return new InferenceServer(core, ch, boss, io, ssl != null, gate);
    }
  }
}
