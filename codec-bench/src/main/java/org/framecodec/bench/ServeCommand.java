package org.framecodec.bench;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.metrics.FrameCodecMetrics;
import org.framecodec.metrics.PrometheusEndpoint;
import org.framecodec.oip.DetectorTensors;
import org.framecodec.oip.OipGrpcServer;
import org.framecodec.oip.OipRoutes;
import org.framecodec.oip.OipService;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.ServerOptions;
import org.framecodec.transport.TlsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec serve}: runs the receiver ({@link InferenceServer}) with a BlazeFace detector
 * until it is stopped.
 *
 * <pre>
 * framecodec serve [--model M.onnx] [--host 127.0.0.1] [--port 8000] [--token-file F | --token-env NAME]
 *                  [--tls-cert C.pem --tls-key K.pem [--client-ca CA.pem]] [--queue N]
 *                  [--metrics [--metrics-token-file F | --metrics-token-env NAME]]
 *                  [--model-name detector] [--grpc-port P]
 * </pre>
 *
 * Besides {@code POST /detect}, the port serves the Open Inference Protocol (KServe v2 / Triton)
 * over REST for the model {@code --model-name} ({@code /v2/...}, see {@code org.framecodec.oip});
 * with {@code --grpc-port} it also serves the protocol's gRPC side on that port (0 picks a free
 * one), with the same token, TLS, limits, detector and pixel budget, and prints a line, {@code
 * grpc on URI}.
 *
 * Prints one line, {@code listening on URI}, once it accepts requests (port 0 picks a free port,
 * which that line names). On SIGTERM or Ctrl-C a JVM shutdown hook drains the server: requests
 * already read run to their response, new ones get 503 (up to
 * {@link ServerOptions#DEFAULT_DRAIN_TIMEOUT}), the detector is closed, and the JVM exits (status
 * 143 for SIGTERM, as any JVM stopped by it). Binds to
 * loopback unless {@code --host} says otherwise. The token is read from a file or an environment
 * variable, never from the command line (which {@code ps} shows), and never printed.
 *
 * <p>{@code --metrics} also serves {@code GET /metrics}: the Prometheus text format of the
 * receiver's meters ({@code server="receiver"}), the detector's ({@code detector="blazeface"}),
 * the codecs' and the JVM's (memory, GC, threads, CPU), and prints a second line, {@code metrics
 * at URI}. The token rule: {@code /metrics} requires the server's token when it has one (a scraper
 * sends the same {@code Authorization: Bearer} header as a client); {@code --metrics-token-file}
 * or {@code --metrics-token-env} gives it a token of its own instead, which then is the only one it
 * takes (and which cannot post frames). Without any token it is open, like {@code /detect}.
 *
 * <p>Its logic is {@link #serve}, which takes validated {@link Settings}; the picocli options
 * below only build them. {@code --model} defaults to the bundled BlazeFace front model.
 */
@Command(name = "serve", description = "Run the receiver: frames in over HTTP at POST /detect (JSON, raw,"
    + " base64 or JPEG bodies), detections out as JSON; timeouts, memory budgets, optional bearer token"
    + " and TLS; the Open Inference Protocol (KServe v2 / Triton) at /v2 and, with --grpc-port, over gRPC."
    + " Prints 'listening on URI'; SIGTERM drains and stops.")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelArgument model;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on; loopback unless you say otherwise (0.0.0.0: every interface).")
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8000", description = "Port; 0 picks a free one.")
  int port;

  @Option(names = "--token-file", paramLabel = "F", description = "Require 'Authorization: Bearer <token>',"
      + " the token being the file's first line.")
  Path tokenFile;

  @Option(names = "--token-env", paramLabel = "NAME", description = "Require a bearer token, read from this"
      + " environment variable.")
  String tokenEnv;

  @Option(names = "--tls-cert", paramLabel = "C.pem", description = "Serve HTTPS with this PEM certificate"
      + " chain (leaf first); needs --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "K.pem", description = "The certificate's unencrypted PKCS#8 PEM"
      + " private key.")
  Path tlsKey;

  @Option(names = "--client-ca", paramLabel = "CA.pem", description = "Require client certificates that chain"
      + " to these PEM certificates (mutual TLS).")
  Path clientCa;

  @Option(names = "--queue", paramLabel = "N", defaultValue = "32", description = "Requests that may wait for"
      + " the detector; past it, 503 with Retry-After.")
  int queue;

  @Option(names = "--metrics", description = "Also serve GET /metrics (Prometheus text format): the receiver's,"
      + " detector's, codecs' and JVM's meters; behind the server's token unless --metrics-token-* gives it"
      + " its own.")
  boolean metrics;

  @Option(names = "--metrics-token-file", paramLabel = "F", description = "With --metrics: /metrics requires"
      + " this token (the file's first line) instead of the server's, and takes no other.")
  Path metricsTokenFile;

  @Option(names = "--metrics-token-env", paramLabel = "NAME", description = "With --metrics: /metrics requires"
      + " the token in this environment variable instead of the server's, and takes no other.")
  String metricsTokenEnv;

  @Option(names = "--model-name", paramLabel = "NAME", defaultValue = DetectorTensors.DEFAULT_MODEL_NAME,
      description = "The model's name in the Open Inference Protocol (/v2/models/NAME).")
  String modelName;

  @Option(names = "--grpc-port", paramLabel = "N", defaultValue = "-1", showDefaultValue = Help.Visibility.NEVER,
      description = "Also serve the Open Inference Protocol over gRPC on this port (0 picks a free one);"
          + " default: no gRPC.")
  int grpcPort;

  /** {@return 0 once stopped; the server runs until the JVM is asked to stop} */
  @Override
  public Integer call() throws IOException {
    Settings s;
    try {
      s = new Settings(model.path(), host, port,
          tokenFile, tokenEnv, tlsCert, tlsKey, clientCa, queue,
          Scrape.of(metrics, metricsTokenFile, metricsTokenEnv), modelName, grpcPort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    serve(s, spec.commandLine().getOut(), new CountDownLatch(1));
    return 0;
  }
  /**
   * What {@code serve} was asked for, validated when made.
   *
   * @param model the ONNX model
   * @param host the address to listen on
   * @param port the port, 0 for a free one
   * @param tokenFile a file holding the bearer token, or null
   * @param tokenEnv an environment variable holding it, or null
   * @param tlsCert the PEM certificate chain for HTTPS, or null
   * @param tlsKey its PKCS#8 PEM key, or null
   * @param clientCa PEM certificates client certificates must chain to, or null
   * @param queue requests that may wait for the detector
   * @param metrics how to serve {@code GET /metrics}, or null for not at all
   * @param modelName the model's name in the Open Inference Protocol
   * @param grpcPort the protocol's gRPC port, 0 for a free one, -1 for none
   */
  public record Settings(Path model, String host, int port, Path tokenFile, String tokenEnv,
      Path tlsCert, Path tlsKey, Path clientCa, int queue, Scrape metrics, String modelName, int grpcPort) {
    /** Checks the combination of options. */
    public Settings {
      Objects.requireNonNull(model, "--model is required");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be 0..65535, got " + port);
      }
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      if (clientCa != null && tlsCert == null) {
        throw new IllegalArgumentException("--client-ca needs --tls-cert and --tls-key");
      }
      oneTokenSource(tokenFile, tokenEnv, "--token-file", "--token-env");
      Objects.requireNonNull(modelName, "modelName");
      if (modelName.isEmpty() || modelName.contains("/")) {
        throw new IllegalArgumentException("--model-name must be non-empty without '/', got '" + modelName + "'");
      }
      if (grpcPort < -1 || grpcPort > 65535) {
        throw new IllegalArgumentException("--grpc-port must be 0..65535, got " + grpcPort);
      }
      if (grpcPort > 0 && grpcPort == port) {
        throw new IllegalArgumentException("--grpc-port must differ from --port (" + port + ")");
      }
    }

    /**
     * Without {@code GET /metrics} and gRPC, the protocol's model named {@value
     * DetectorTensors#DEFAULT_MODEL_NAME}.
     *
     * @param model the ONNX model
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @param tokenFile a file holding the bearer token, or null
     * @param tokenEnv an environment variable holding it, or null
     * @param tlsCert the PEM certificate chain for HTTPS, or null
     * @param tlsKey its PKCS#8 PEM key, or null
     * @param clientCa PEM certificates client certificates must chain to, or null
     * @param queue requests that may wait for the detector
     */
    public Settings(Path model, String host, int port, Path tokenFile, String tokenEnv,
        Path tlsCert, Path tlsKey, Path clientCa, int queue) {
      this(model, host, port, tokenFile, tokenEnv, tlsCert, tlsKey, clientCa, queue, null,
          DetectorTensors.DEFAULT_MODEL_NAME, -1);
    }
  }

  /**
   * How {@code GET /metrics} is served: behind the server's token (both null) or a token of its
   * own, read from a file or an environment variable.
   *
   * @param tokenFile a file holding the scrape token, or null
   * @param tokenEnv an environment variable holding it, or null
   */
  public record Scrape(Path tokenFile, String tokenEnv) {
    /** Checks that at most one source of the token is given. */
    public Scrape {
      oneTokenSource(tokenFile, tokenEnv, "--metrics-token-file", "--metrics-token-env");
    }

    /**
     * The options as given on the command line.
     *
     * @param enabled whether {@code --metrics} was given
     * @param tokenFile {@code --metrics-token-file}, or null
     * @param tokenEnv {@code --metrics-token-env}, or null
     * @return the settings, or null when {@code --metrics} was not given
     * @throws IllegalArgumentException when a scrape token is given without {@code --metrics}
     */
    static Scrape of(boolean enabled, Path tokenFile, String tokenEnv) {
      if (!enabled) {
        if (tokenFile != null || tokenEnv != null) {
          throw new IllegalArgumentException((tokenFile != null ? "--metrics-token-file" : "--metrics-token-env")
              + " needs --metrics");
        }
        return null;
      }
      return new Scrape(tokenFile, tokenEnv);
    }

    /** {@return the token of its own, or null to use the server's} */
    BearerToken token() throws IOException {
      return readToken(tokenFile, tokenEnv);
    }
  }

  /**
   * Runs {@code serve} alone, for a process that is only the receiver (the soak starts it so).
   *
   * @param args the options of {@code framecodec serve}
   */
  public static void main(String[] args) {
    System.exit(FrameCodecCli.run(prepend("serve", args), System.out, System.err));
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /**
   * Serves until the JVM is asked to stop (or {@code stop} is counted down), then drains. Prints
   * {@code listening on URI} to {@code out} once it accepts requests, then {@code grpc on URI}
   * when it serves gRPC too and {@code metrics at URI} when it serves metrics.
   *
   * @param s the settings
   * @param out where the listening lines go
   * @param stop counted down to stop
   * @throws IOException when an address cannot be bound or a token or TLS file cannot be read
   */
  public static void serve(Settings s, PrintWriter out, CountDownLatch stop) throws IOException {
    InferenceServer.Builder b = InferenceServer.builder()
        .address(new InetSocketAddress(InetAddress.getByName(s.host()), s.port()))
        .options(ServerOptions.builder().queueCapacity(s.queue()).build());
    BearerToken token = readToken(s.tokenFile(), s.tokenEnv());
    if (token != null) {
      b.token(token);
    }
    TlsOptions tls = null;
    if (s.tlsCert() != null) {
      tls = TlsOptions.fromPem(s.tlsCert(), s.tlsKey());
      tls = s.clientCa() == null ? tls : tls.requireClientCertificates(s.clientCa());
      b.tls(tls);
    }
    PrometheusMeterRegistry registry = null;
    BearerToken scrapeToken = null;
    if (s.metrics() != null) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      scrapeToken = s.metrics().token();
      if (scrapeToken != null) {
        b.metrics(new PrometheusEndpoint(registry), scrapeToken);
      } else {
        b.metrics(new PrometheusEndpoint(registry));
      }
    }
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      awaitQuietly(finished, 60); // let main drain the server and close the detector first
    }, "framecodec-serve-shutdown");
    // Closed in reverse: the server drains, then the detector closes, then the meters go.
    try (FrameCodecMetrics metrics = registry == null ? null : FrameCodecMetrics.of(registry);
        JvmGcMetrics gc = registry == null ? null : new JvmGcMetrics();
        Detector detector = observed(metrics, Detector.open(DetectorOptions.blazeFace(s.model())));
        Servers servers = Servers.start(b.detector(detector), s, token, tls)) {
      InferenceServer server = servers.rest();
      if (metrics != null) {
        metrics.bind(server, "receiver");
        metrics.bindCodecs();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
      }
      Runtime.getRuntime().addShutdownHook(hook);
      String guards = (token != null ? " (bearer token required)" : "")
          + (s.clientCa() != null ? " (client certificates required)" : "");
      out.println("listening on " + server.uri() + guards);
      if (servers.grpc() != null) {
        out.println("grpc on " + servers.grpc().uri() + guards);
      }
      if (metrics != null) {
        out.println("metrics at " + server.uri().resolve(InferenceServer.METRICS_PATH)
            + (scrapeToken != null ? " (scrape token required)" : token != null ? " (bearer token required)" : ""));
      }
      out.flush();
      awaitQuietly(stop, Long.MAX_VALUE);
      // Leaving the try drains the server (in-flight requests finish, new ones get 503), then
      // closes the detector.
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
        // the JVM is stopping (the hook is running) or the server never started
      }
    }
  }

  /**
   * The receiver with the Open Inference Protocol's REST routes, and its gRPC port when asked;
   * closing drains the receiver first (new requests get 503), then stops the gRPC port.
   */
  private record Servers(InferenceServer rest, OipGrpcServer grpc) implements AutoCloseable {
    static Servers start(InferenceServer.Builder b, Settings s, BearerToken token, TlsOptions tls) throws IOException {
      OipService oip = OipRoutes.service(s.modelName(), b.detectionGate());
      OipRoutes.install(b, oip);
      InferenceServer rest = b.start();
      if (s.grpcPort() < 0) {
        return new Servers(rest, null);
      }
      try {
        OipGrpcServer.Builder g = OipGrpcServer.builder(oip)
            .address(new InetSocketAddress(rest.address().getAddress(), s.grpcPort()));
        if (token != null) {
          g.token(token);
        }
        if (tls != null) {
          g.tls(tls);
        }
        return new Servers(rest, g.start());
      } catch (IOException | RuntimeException e) {
        rest.close();
        throw e;
      }
    }

    @Override
    public void close() {
      rest.close();
      if (grpc != null) {
        grpc.close();
      }
    }
  }

  /** Refuses a token given both ways: which one was meant is not ours to guess. */
  private static void oneTokenSource(Path file, String env, String fileOption, String envOption) {
    if (file != null && env != null) {
      throw new IllegalArgumentException("give " + fileOption + " or " + envOption + ", not both");
    }
  }

  /** {@return the token in {@code file} (its first line) or in the variable {@code env}; null for neither} */
  private static BearerToken readToken(Path file, String env) throws IOException {
    return file != null ? BearerToken.fromFile(file) : env != null ? BearerToken.fromEnv(env) : null;
  }

  /** The detector to serve: watched by {@code metrics} when there are metrics (then it owns it). */
  private static Detector observed(FrameCodecMetrics metrics, Detector detector) {
    return metrics == null ? detector : metrics.bind(detector, "blazeface");
  }

  private static void awaitQuietly(CountDownLatch latch, long seconds) {
    try {
      latch.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
