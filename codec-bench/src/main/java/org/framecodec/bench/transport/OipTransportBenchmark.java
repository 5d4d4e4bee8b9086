package org.framecodec.bench.transport;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.framecodec.bench.FrameCodecCli;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.bench.support.ChildServer;
import org.framecodec.bench.support.Progress;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.detect.Detection;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.oip.InferRequest;
import org.framecodec.oip.InferResponse;
import org.framecodec.oip.OipClient;
import org.framecodec.oip.OipWireSizes;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceResult;
import org.framecodec.wire.Framing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The same batches of 1080p payloads sent five ways to one receiver: our JSON envelope and our raw
 * container ({@code POST /detect}), and the Open Inference Protocol over REST with JSON (base64
 * BYTES), over REST with the binary tensor data extension, and over gRPC. Which one should a
 * service use to send frames to an inference cluster, and what does each cost?
 *
 * <p>The payloads are encoded once (cv2-yuv recipe, q80), before anything is measured, so client
 * CPU is the transport's alone: framing, HTTP or gRPC, and parsing the detections. The receiver
 * ({@link OipReceiverMain}) is its own process on 127.0.0.1, so its CPU is read from /proc; with
 * backend {@code none} it parses every body and checks every JPEG header but does not decode
 * (the transport's cost alone), with {@code detector} it runs BlazeFace (the end-to-end cost).
 * One request in flight. Each variant runs {@code --rounds} times, interleaved with the others,
 * and the report gives each figure's median over the rounds, since the machine's other work
 * moves any single run. Bytes are bodies (HTTP headers and HTTP/2 frames not counted): ours from
 * the client, the protocol's from {@link OipWireSizes}.
 *
 * <pre>
 * framecodec oip-transport [--seconds 5] [--warmup 2] [--rounds 3] [--batches 16,64]
 *     [--backends none,detector] [--variants ...] [--grpc-window BYTES] [--quality 80] [--model M.onnx]
 *     [FRAME_OR_DIR...]
 * </pre>
 */
@Command(name = "oip-transport", description = "Our JSON envelope and raw container vs the Open Inference Protocol"
    + " (REST JSON with base64, REST binary, gRPC) on one receiver: bytes, CPU and frames/s per 1080p frame.")
public final class OipTransportBenchmark implements Callable<Integer> {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  static final List<String> VARIANTS = List.of("json envelope", "raw container", "oip rest json", "oip rest binary",
      "oip grpc");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FRAME", arity = "0..*", showDefaultValue = Help.Visibility.NEVER,
      description = "1080p frames (PNG); default: the three bundled 1080p photographs.")
  List<Path> frames = new ArrayList<>();

  @Option(names = "--seconds", paramLabel = "S", description = "Measured seconds per variant and round.")
  double seconds = 5;

  @Option(names = "--warmup", paramLabel = "S", description = "Warm-up seconds per variant and round.")
  double warmup = 2;

  @Option(names = "--rounds", paramLabel = "N", description = "Rounds; figures are medians over them.")
  int rounds = 3;

  @Option(names = "--batches", split = ",", paramLabel = "B", description = "Batch sizes.")
  List<Integer> batches = List.of(16, 64);

  @Option(names = "--backends", split = ",", paramLabel = "B", description = "none (transport only) and/or"
      + " detector (BlazeFace on every frame).")
  List<String> backends = List.of("none", "detector");

  @Option(names = "--variants", split = ",", paramLabel = "V", description = "Which encodings: json-envelope,"
      + " raw-container, oip-rest-json, oip-rest-binary, oip-grpc; default: all.")
  List<String> variants = VARIANTS.stream().map(v -> v.replace(' ', '-')).toList();

  @Option(names = "--grpc-window", paramLabel = "BYTES", description = "The receiver's gRPC flow-control window"
      + " per stream; 0: grpc-java's default (1 MiB, auto-tuned to the bandwidth-delay product).")
  int grpcWindow;

  @Option(names = "--quality", paramLabel = "Q", description = "JPEG quality (cv2-yuv), 1..100.")
  int quality = 80;

  @Option(names = "--model", paramLabel = "M.onnx", description = "BlazeFace front model; default: the bundled one.")
  Path model;

  /** One variant's figures in one round. */
  record Run(double fps, double requestBytes, double responseBytes, double clientCpuMs, double serverCpuMs,
      double p50Ms, int requests) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (rounds < 1 || grpcWindow < 0 || !(seconds > 0) || !(warmup >= 0) || quality < 1 || quality > 100
        || batches.stream().anyMatch(b -> b < 1 || b > 256)
        || backends.stream().anyMatch(b -> !b.equals("none") && !b.equals("detector"))
        || variants.stream().anyMatch(v -> !VARIANTS.contains(v.replace('-', ' ')))) {
      throw new ParameterException(spec.commandLine(), "need --rounds >= 1, --grpc-window >= 0, --seconds > 0, --warmup >= 0,"
          + " --quality 1..100, --batches 1..256, --backends none and/or detector, --variants from "
          + VARIANTS.stream().map(v -> v.replace(' ', '-')).toList());
    }
    List<String> chosen = variants.stream().map(v -> v.replace('-', ' ')).toList();
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = FrameCodecCli.progress(spec);
    List<Path> sources = new ArrayList<>(frames);
    if (sources.isEmpty()) {
      for (String name : BundledFiles.FRAMES_1080P) {
        sources.add(BundledFiles.shared().file(name, "FRAME"));
      }
    }
    List<EncodedFrame> payloads = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (Path p : sources) {
        Frame f = ImageFiles.read(p);
        payloads.add(codec.encodeFrame(f, EncodeOptions.cv2Yuv(quality)));
      }
    }
    String modelFile = BundledFiles.orBundled(model, BundledFiles.BLAZEFACE_FRONT, "--model").toString();
    double load0 = OS.getSystemLoadAverage();
    out.printf(Locale.ROOT, "oip-transport: %d payloads of %dx%d (cv2-yuv q%d, mean %,d B), batches %s, %.0f s"
        + " (+%.0f s warm-up) x %d rounds per variant, gRPC window %s, %d cores, load average %.1f%n", payloads.size(),
        payloads.get(0).width(), payloads.get(0).height(), quality,
        payloads.stream().mapToLong(EncodedFrame::payloadLength).sum() / payloads.size(), batches, seconds, warmup,
        rounds, grpcWindow == 0 ? "auto" : grpcWindow + " B", Runtime.getRuntime().availableProcessors(), load0);
    out.flush();
    List<String> table = new ArrayList<>();
    int total = backends.size() * batches.size() * rounds * chosen.size();
    int done = 0;
    for (String backend : backends) {
      try (ChildServer server = ChildServer.start("oip-receiver", List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
          System.getProperty("java.class.path"), OipReceiverMain.class.getName(), modelFile, backend, "1",
          Integer.toString(grpcWindow)),
          "see the message above")) {
        URI base = server.uri("");
        int grpcPort = Integer.parseInt(HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("grpc-port"))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).body().strip());
        URI grpcBase = URI.create("http://127.0.0.1:" + grpcPort);
        for (int batch : batches) {
          List<EncodedFrame> frames = new ArrayList<>(batch);
          for (int i = 0; i < batch; i++) {
            frames.add(payloads.get(i % payloads.size()));
          }
          List<List<Run>> runs = new ArrayList<>();
          for (int v = 0; v < chosen.size(); v++) {
            runs.add(new ArrayList<>());
          }
          for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < chosen.size(); v++) {
              runs.get(v).add(measure(chosen.get(v), base, grpcBase, server, frames));
              progress.step(++done, total, backend + ", " + chosen.get(v) + ", batch " + batch + ", round " + (r + 1));
            }
          }
          for (int v = 0; v < chosen.size(); v++) {
            table.add(row(backend, chosen.get(v), batch, runs.get(v)));
          }
        }
      }
    }
    progress.done();
    out.println();
    out.println("| backend | encoding | batch | frames/s | request B/frame | response B/frame | client CPU ms/frame"
        + " | server CPU ms/frame | p50 ms/request | requests |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    table.forEach(out::println);
    out.printf(Locale.ROOT, "%nload average %.1f at the start, %.1f at the end%n", load0, OS.getSystemLoadAverage());
    return 0;
  }

  private Run measure(String variant, URI base, URI grpcBase, ChildServer server, List<EncodedFrame> frames)
      throws IOException {
    Sender sender = sender(variant, base, grpcBase, frames);
    try {
      long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
      do {
        sender.send();
      } while (System.nanoTime() < warmEnd);
      List<Double> latencies = new ArrayList<>();
      long cpu0 = OS.getProcessCpuTime();
      long srv0 = server.cpuNanos();
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      while (System.nanoTime() < end || latencies.size() < 3) {
        long s = System.nanoTime();
        sender.send();
        latencies.add((System.nanoTime() - s) / 1e6);
      }
      long t1 = System.nanoTime();
      long cpu1 = OS.getProcessCpuTime();
      long srv1 = server.cpuNanos();
      int n = latencies.size() * frames.size();
      double[] lat = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Run(n / ((t1 - t0) / 1e9), (double) sender.requestBytes() / frames.size(),
          (double) sender.responseBytes() / frames.size(), (cpu1 - cpu0) / 1e6 / n, (srv1 - srv0) / 1e6 / n,
          lat[(lat.length - 1) / 2], latencies.size());
    } finally {
      sender.close();
    }
  }

  /** One way of sending the batch, with the body sizes of one request and its answer. */
  private interface Sender extends AutoCloseable {
    void send();

    long requestBytes();

    long responseBytes();

    @Override
    void close();
  }

  private static Sender sender(String variant, URI base, URI grpcBase, List<EncodedFrame> frames) {
    if (variant.equals("json envelope") || variant.equals("raw container")) {
      InferenceClient client = InferenceClient.builder(base.resolve("detect")).build();
      Framing framing = variant.startsWith("json") ? Framing.JSON : Framing.RAW;
      InferenceResult first = client.detectBatch(framing, frames);
      return new Sender() {
        @Override
        public void send() {
          check(client.detectBatch(framing, frames).detections(), frames.size());
        }

        @Override
        public long requestBytes() {
          return first.requestBytes();
        }

        @Override
        public long responseBytes() {
          return first.responseBytes();
        }

        @Override
        public void close() {}
      };
    }
    OipClient.Protocol p = switch (variant) {
      case "oip rest json" -> OipClient.Protocol.REST_JSON;
      case "oip rest binary" -> OipClient.Protocol.REST_BINARY;
      default -> OipClient.Protocol.GRPC;
    };
    OipClient client = OipClient.builder(p == OipClient.Protocol.GRPC ? grpcBase : base).protocol(p).build();
    InferRequest request = client.detectRequest(frames);
    InferResponse answer = client.infer(request);
    long req = p == OipClient.Protocol.GRPC ? OipWireSizes.grpc(request) : OipWireSizes.rest(request,
        p == OipClient.Protocol.REST_BINARY);
    long resp = p == OipClient.Protocol.GRPC ? OipWireSizes.grpc(answer) : OipWireSizes.rest(answer, request);
    return new Sender() {
      @Override
      public void send() {
        check(client.detect(frames), frames.size());
      }

      @Override
      public long requestBytes() {
        return req;
      }

      @Override
      public long responseBytes() {
        return resp;
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  private static void check(List<List<Detection>> got, int frames) {
    if (got.size() != frames) {
      throw new IllegalStateException("the receiver answered " + got.size() + " frames for " + frames);
    }
  }

  private static String row(String backend, String variant, int batch, List<Run> runs) {
    return String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %,.0f | %,.0f | %.2f | %.2f | %.0f | %d |",
        backend, variant, batch, median(runs, Run::fps), median(runs, Run::requestBytes),
        median(runs, Run::responseBytes), median(runs, Run::clientCpuMs), median(runs, Run::serverCpuMs),
        median(runs, Run::p50Ms), runs.stream().mapToInt(Run::requests).sum());
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
