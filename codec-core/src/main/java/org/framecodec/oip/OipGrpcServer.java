package org.framecodec.oip;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.TlsOptions;

/**
 * The gRPC port of the Open Inference Protocol ({@code inference.GRPCInferenceService}) for an
 * {@link OipService}, on grpc-java's Netty server, hardened for untrusted clients:
 * <ul>
 *   <li>binds loopback unless an address is given;</li>
 *   <li>messages over {@link Builder#maxMessageBytes} (default: the service's {@link
 *       org.framecodec.Limits#maxDocumentBytes()}) are refused by grpc-java as they arrive, with
 *       {@code RESOURCE_EXHAUSTED}, before they are buffered whole;</li>
 *   <li>messages are read on a few threads of their own and inference runs on {@link
 *       Builder#workers} others; inference calls beyond workers plus {@link Builder#maxQueued} at
 *       once are refused with {@code UNAVAILABLE} on arrival, whatever the workers are doing;</li>
 *   <li>every call is closed after {@link Builder#callTimeout} ({@code DEADLINE_EXCEEDED}),
 *       however slowly the client sends; idle connections close after {@link
 *       Builder#maxConnectionIdle}, TLS handshakes after 10 s; at most {@code workers + maxQueued}
 *       calls at once per connection;</li>
 *   <li>optional bearer token ({@code authorization: Bearer ...} metadata, compared in constant
 *       time; {@code UNAUTHENTICATED} without it) and TLS with optional client certificates,
 *       from PEM files.</li>
 * </ul>
 * Started by {@link Builder#start()}; {@link #close()} stops accepting calls, lets running ones
 * finish for up to 5 s, then ends them and frees the threads. Thread-safe.
 */
public final class OipGrpcServer implements AutoCloseable {
  private final Server server;
  private final ExecutorService calls;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final boolean tls;
  private volatile boolean closed;

  private OipGrpcServer(Server server, ExecutorService calls, ExecutorService workers, ScheduledExecutorService timer,
      boolean tls) {
    this.server = server;
    this.calls = calls;
    this.workers = workers;
    this.timer = timer;
    this.tls = tls;
  }

  /**
   * A builder for the gRPC port of {@code service}.
   *
   * @param service the service to expose
   * @return the builder
   */
  public static Builder builder(OipService service) {
    return new Builder(service);
  }

  /** {@return the bound address (the actual port when 0 was asked for)} */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** {@return {@code http://host:port} (or {@code https}), the base URI an {@link OipClient} takes} */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return URI.create((tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
  }

  /** Stops: new calls are refused, running ones get 5 s, then everything ends; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    calls.shutdownNow();
    workers.shutdownNow();
    timer.shutdownNow();
  }

  /** Settings of an {@link OipGrpcServer}; validated as they are set. Not thread-safe. */
  public static final class Builder {
    private final OipService service;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int maxQueued = 16;
    private long maxMessageBytes;
    private Duration callTimeout = Duration.ofSeconds(120);
    private Duration maxConnectionIdle = Duration.ofMinutes(5);
    private BearerToken token;
    private TlsOptions tls;
    private int flowControlWindow;

    private Builder(OipService service) {
      this.service = Objects.requireNonNull(service, "service");
      this.maxMessageBytes = Math.min(service.limits().maxDocumentBytes(), Integer.MAX_VALUE);
    }

    /**
     * Where to listen; default loopback, port 0 (any free port).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder address(InetSocketAddress value) {
      this.address = Objects.requireNonNull(value, "address");
      return this;
    }

    /**
     * Threads running inference calls (messages are read and checked on up to 4 others).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder workers(int value) {
      this.workers = positive("workers", value);
      return this;
    }

    /**
     * Inference calls admitted beyond those running; more are refused with UNAVAILABLE.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxQueued(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxQueued must not be negative, got " + value);
      }
      this.maxQueued = value;
      return this;
    }

    /**
     * Largest request message; larger ones get RESOURCE_EXHAUSTED.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxMessageBytes(int value) {
      this.maxMessageBytes = positive("maxMessageBytes", value);
      return this;
    }

    /**
     * Longest a call may stay open, request arrival included.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder callTimeout(Duration value) {
      this.callTimeout = positive("callTimeout", value);
      return this;
    }

    /**
     * A fixed HTTP/2 flow-control window per stream, in bytes; by default grpc-java starts at
     * 1 MiB and tunes it to the connection's bandwidth-delay product. A fixed window bounds what
     * one client can have in flight unread; a larger one helps big batches over long links.
     *
     * @param value the window in bytes
     * @return this builder
     */
    public Builder flowControlWindow(int value) {
      this.flowControlWindow = positive("flowControlWindow", value);
      return this;
    }

    /**
     * How long a connection with no call open is kept.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxConnectionIdle(Duration value) {
      this.maxConnectionIdle = positive("maxConnectionIdle", value);
      return this;
    }

    /**
     * Requires {@code authorization: Bearer <token>} metadata on every call, as the receiver
     * requires the header (the same {@link BearerToken} serves both ports).
     *
     * @param value the token
     * @return this builder
     */
    public Builder token(BearerToken value) {
      this.token = Objects.requireNonNull(value, "token");
      return this;
    }

    /**
     * Serves TLS with the receiver's options (its key pair, and the client certificates it
     * requires, if any: mTLS), TLS 1.3 and 1.2 through the JDK's provider.
     *
     * @param value the options, e.g. {@link TlsOptions#fromPem}
     * @return this builder
     */
    public Builder tls(TlsOptions value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /**
     * Serves TLS with this PEM certificate chain and PKCS#8 PEM key; with {@code clientCa} (PEM,
     * may be null) clients must present a certificate it signed (mTLS).
     *
     * @param certChain PEM certificate chain
     * @param privateKey PKCS#8 PEM private key
     * @param clientCa PEM certificates client certificates must chain to, or null
     * @return this builder
     * @throws IOException when a file cannot be read or the key does not fit
     */
    public Builder tls(Path certChain, Path privateKey, Path clientCa) throws IOException {
      TlsOptions t = TlsOptions.fromPem(certChain, privateKey);
      this.tls = clientCa == null ? t : t.requireClientCertificates(clientCa);
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @return the running server
     * @throws IOException when the address cannot be bound or the TLS files cannot be read
     */
    public OipGrpcServer start() throws IOException {
      ExecutorService calls = daemons("oip-grpc-call-", Math.max(2, Math.min(4, workers)));
      ExecutorService pool = daemons("oip-grpc-infer-", workers);
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oip-grpc-timer");
        t.setDaemon(true);
        return t;
      });
      int admitted = workers + maxQueued;
      NettyServerBuilder b = NettyServerBuilder.forAddress(address)
          .executor(calls)
          .maxInboundMessageSize((int) maxMessageBytes)
          .maxInboundMetadataSize(16 << 10)
          .maxConcurrentCallsPerConnection(admitted)
          .maxConnectionIdle(maxConnectionIdle.toNanos(), TimeUnit.NANOSECONDS)
          .handshakeTimeout(10, TimeUnit.SECONDS);
      if (flowControlWindow > 0) {
        // A fixed window turns grpc-java's bandwidth-delay auto-tuning off; only when asked.
        b.flowControlWindow(flowControlWindow);
      }
      if (tls != null) {
        SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManagers()),
            SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
        if (tls.clientCertificateAuthorities() != null) {
          ssl.trustManager(tls.clientCertificateAuthorities()).clientAuth(ClientAuth.REQUIRE);
        }
        b.sslContext(ssl.build());
      }
      // Interceptors run last-added first: the token is checked before the timer starts.
      var definition = ServerInterceptors.intercept(new GrpcInferenceService(service, admitted, pool),
          GrpcCallGuards.callTimeout(callTimeout, timer));
      if (token != null) {
        definition = ServerInterceptors.intercept(definition, GrpcCallGuards.bearer(token));
      }
      b.addService(definition);
      Server server = b.build();
      try {
        server.start();
      } catch (IOException | RuntimeException e) {
        calls.shutdownNow();
        pool.shutdownNow();
        timer.shutdownNow();
        throw e;
      }
      return new OipGrpcServer(server, calls, pool, timer, tls != null);
    }

    private static ExecutorService daemons(String prefix, int threads) {
      AtomicInteger n = new AtomicInteger();
      return Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, prefix + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
