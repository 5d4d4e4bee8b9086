package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.ServerOptions;
import org.framecodec.transport.TlsOptions;

/**
 * {@code framecodec serve}: runs the receiver ({@link InferenceServer}) with a BlazeFace detector
 * until it is stopped.
 *
 * <pre>
 * framecodec serve --model M.onnx [--host 127.0.0.1] [--port 8000] [--token-file F | --token-env NAME]
 *                  [--tls-cert C.pem --tls-key K.pem [--client-ca CA.pem]] [--queue N]
 * </pre>
 *
 * Prints one line, {@code listening on URI}, once it accepts requests (port 0 picks a free port,
 * which that line names). On SIGTERM or Ctrl-C a JVM shutdown hook drains the server: requests
 * already read run to their response, new ones get 503 (up to
 * {@link ServerOptions#DEFAULT_DRAIN_TIMEOUT}), the detector is closed, and the JVM exits (status
 * 143 for SIGTERM, as any JVM stopped by it). Binds to
 * loopback unless {@code --host} says otherwise. The token is read from a file or an environment
 * variable, never from the command line (which {@code ps} shows), and never printed.
 *
 * <p>Its logic is {@link #serve}; {@link #main} parses the options until the command joins the
 * picocli tree of {@code FrameCodecCli}.
 */
public final class ServeCommand {
  /** What {@code serve} was asked for; validated by {@link #parse}. */
  public record Settings(Path model, String host, int port, Path tokenFile, String tokenEnv,
      Path tlsCert, Path tlsKey, Path clientCa, int queue) {
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
      if (tokenFile != null && tokenEnv != null) {
        throw new IllegalArgumentException("give --token-file or --token-env, not both");
      }
    }
  }

  private ServeCommand() {}

  public static void main(String[] args) {
    Settings s;
    try {
      s = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("framecodec serve: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    try {
      serve(s, System.out, new CountDownLatch(1)); // returns only when stopped
      System.exit(0);
    } catch (IOException | RuntimeException e) {
      System.err.println("framecodec serve: " + String.valueOf(e.getMessage()).replace('\n', ' '));
      System.exit(1);
    }
  }

  static String usage() {
    return "usage: framecodec serve --model M.onnx [--host 127.0.0.1] [--port 8000]"
        + " [--token-file F | --token-env NAME] [--tls-cert C.pem --tls-key K.pem [--client-ca CA.pem]]"
        + " [--queue N]";
  }

  /** Parses {@code serve}'s options. */
  public static Settings parse(String[] args) {
    Path model = null;
    String host = "127.0.0.1";
    int port = 8000;
    Path tokenFile = null;
    String tokenEnv = null;
    Path cert = null;
    Path key = null;
    Path ca = null;
    int queue = ServerOptions.DEFAULT_QUEUE_CAPACITY;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value");
      }
      String v = args[++i];
      switch (name) {
        case "--model" -> model = Path.of(v);
        case "--host" -> host = v;
        case "--port" -> port = number(name, v);
        case "--token-file" -> tokenFile = Path.of(v);
        case "--token-env" -> tokenEnv = v;
        case "--tls-cert" -> cert = Path.of(v);
        case "--tls-key" -> key = Path.of(v);
        case "--client-ca" -> ca = Path.of(v);
        case "--queue" -> queue = number(name, v);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (model == null) {
      throw new IllegalArgumentException("--model is required");
    }
    return new Settings(model, host, port, tokenFile, tokenEnv, cert, key, ca, queue);
  }

  private static int number(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
    }
  }

  /**
   * Serves until the JVM is asked to stop (or {@code stop} is counted down), then drains. Prints
   * {@code listening on URI} to {@code out} once it accepts requests.
   */
  public static void serve(Settings s, PrintStream out, CountDownLatch stop) throws IOException {
    InferenceServer.Builder b = InferenceServer.builder()
        .address(new InetSocketAddress(InetAddress.getByName(s.host()), s.port()))
        .options(ServerOptions.builder().queueCapacity(s.queue()).build());
    if (s.tokenFile() != null) {
      b.token(BearerToken.fromFile(s.tokenFile()));
    } else if (s.tokenEnv() != null) {
      b.token(BearerToken.fromEnv(s.tokenEnv()));
    }
    if (s.tlsCert() != null) {
      TlsOptions tls = TlsOptions.fromPem(s.tlsCert(), s.tlsKey());
      b.tls(s.clientCa() == null ? tls : tls.requireClientCertificates(s.clientCa()));
    }
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      awaitQuietly(finished, 60); // let main drain the server and close the detector first
    }, "framecodec-serve-shutdown");
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(s.model()));
        InferenceServer server = b.detector(detector).start()) {
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("listening on " + server.uri() + (s.tokenFile() != null || s.tokenEnv() != null
          ? " (bearer token required)" : "") + (s.clientCa() != null ? " (client certificates required)" : ""));
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

  private static void awaitQuietly(CountDownLatch latch, long seconds) {
    try {
      latch.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
