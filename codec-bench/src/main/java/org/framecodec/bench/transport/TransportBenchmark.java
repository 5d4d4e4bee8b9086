package org.framecodec.bench.transport;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.framecodec.bench.FrameCodecCli;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.bench.support.ChildServer;
import org.framecodec.bench.support.Progress;
import org.framecodec.bench.support.Python;
import org.framecodec.bench.support.Stats;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
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
 * The source document's open question, measured end to end: how should a stream service send
 * 1080p frames to an inference service over HTTP, base64 in JSON (one request per frame, or a
 * batch) or raw bytes (our container)?
 *
 * <p>Each variant streams 1080p frames through encode (TurboJPEG, the cv2-yuv recipe, q80) ->
 * framing -> HTTP POST over 127.0.0.1 -> receiver decodes and runs BlazeFace -> detections JSON
 * back, for a few seconds, against two receivers started here on ephemeral ports: the Flask peer
 * (peer_server.py, bundled in the jar: the recipe's decode, OpenCV 4.6 DNN) and the Java
 * receiver ({@link JavaReceiverMain}: our decoder and detector). Both run their OpenCV on one
 * thread, each in its own process ({@link ChildServer}).
 *
 * <p>The client pipelines like a stream service would: one thread encodes the next batch while
 * the previous one is in flight (at most one request in flight). Latency is per request, from the
 * start of encoding its first frame to the parsed detections; at 50 fps a frame also waits for
 * its batch to fill, {@code (B - 1) / 50} s for the first frame, which the report adds
 * separately. CPU: the client's process CPU (encode, framing, HTTP, parsing; JIT and GC
 * included) and the receiver process's utime + stime from /proc, each per frame.
 *
 * <pre>
 * framecodec transport [--seconds 3] [--warmup 1] [--batches 1,16,32,64] [--receivers python,java]
 *     [--quality 80] [--model M.onnx] [--peer-script peer_server.py] [FRAME_OR_DIR...]
 * </pre>
 *
 * Not thread-safe; one run at a time (it owns the two server processes it starts).
 */
@Command(name = "transport", description = "The HTTP pipeline end to end: JSON per frame, JSON batches and raw"
    + " batches against the Python (Flask) and Java receivers; frames/s, bytes, CPU and latency per variant.")
public final class TransportBenchmark implements Callable<Integer> {
  private static final double FPS = 50.0;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();


  /** One variant's figures. */
  record Row(String receiver, String framing, int batch, int requests, int frames, double seconds,
      double requestBytesPerFrame, double responseBytesPerFrame, double clientCpuMsPerFrame,
      double serverCpuMsPerFrame, double p50Ms, double p99Ms, double maxMs) {
    double fps() {
      return frames / seconds;
    }

    String summary() {
      return String.format(Locale.ROOT, "%s, %s, %d a request: %.1f frames/s, p50 %.0f ms, p99 %.0f ms (%d requests)",
          receiver, framing, batch, fps(), p50Ms, p99Ms, requests);
    }
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FRAME", arity = "0..*", showDefaultValue = Help.Visibility.NEVER,
      description = "1080p frames to send, PNG files or folders of *-1080p.png; default: the three bundled 1080p"
          + " photographs.")
  List<Path> positional = new ArrayList<>();

  @Option(names = "--frames", paramLabel = "FRAME", showDefaultValue = Help.Visibility.NEVER,
      description = "Same as FRAME (the older spelling); may be repeated.")
  List<Path> framesOption = new ArrayList<>();

  @Option(names = "--seconds", paramLabel = "S", description = "Measured seconds per variant.")
  double seconds = 3;

  @Option(names = "--warmup", paramLabel = "S", description = "Warm-up seconds per variant.")
  double warmup = 1;

  @Option(names = "--batches", split = ",", paramLabel = "B", description = "Batch sizes, 1..1024.")
  List<Integer> batches = List.of(1, 16, 32, 64);

  @Option(names = "--receivers", split = ",", paramLabel = "R", description = "python and/or java.")
  List<String> receivers = List.of("python", "java");

  @Option(names = "--quality", paramLabel = "Q", description = "JPEG quality (cv2-yuv), 1..100.")
  int quality = 80;

  @Option(names = "--model", paramLabel = "M.onnx", description = "BlazeFace front model for both receivers;"
      + " default: the bundled face_detection_front_128x128_dynbatch.onnx.")
  Path model;

  @Option(names = "--peer-script", paramLabel = "P", description = "The Flask peer; default: the bundled"
      + " peer_server.py.")
  Path peer;

  @Override
  public Integer call() throws IOException, InterruptedException {
    check();
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = FrameCodecCli.progress(spec);
    List<Path> sources = new ArrayList<>(positional);
    sources.addAll(framesOption);
    boolean bundled = sources.isEmpty();
    if (bundled) {
      for (String name : BundledFiles.FRAMES_1080P) {
        sources.add(BundledFiles.shared().file(name, "FRAME"));
      }
    }
    List<Frame> frames = loadFrames(sources);
    String modelFile = BundledFiles.orBundled(model, BundledFiles.BLAZEFACE_FRONT, "--model").toString();
    String peerFile = BundledFiles.orBundled(peer, BundledFiles.PEER_SERVER, "--peer-script").toString();
    out.printf(Locale.ROOT, "transport benchmark: %d frames of %dx%d from %s, cv2-yuv q%d, %.1f s per variant "
        + "(+%.1f s warm-up), %d cores%n", frames.size(), frames.get(0).width(), frames.get(0).height(),
        bundled ? "the bundled photographs" : sources, quality, seconds, warmup,
        Runtime.getRuntime().availableProcessors());
    out.flush();
    List<Row> rows = new ArrayList<>();
    int variants = receivers.size() * (1 + 2 * batches.size());
    for (String receiver : receivers) {
      try (ChildServer r = receiver.equals("python") ? python(peerFile, modelFile) : java(modelFile)) {
        if (rows.isEmpty()) {
          progress.step(0, variants, "warming up the client");
          // JIT and page cache for the client side, once, before anything is counted.
          measure(r, Framing.RAW, true, Math.min(16, batches.get(0)), frames, warmup, warmup);
        }
        // Per frame: the source's way, one JSON envelope per request.
        rows.add(measure(r, Framing.JSON, false, 1, frames, seconds, warmup));
        progress.step(rows.size(), variants, rows.get(rows.size() - 1).summary());
        for (Framing f : List.of(Framing.JSON, Framing.RAW)) {
          for (int b : batches) {
            rows.add(measure(r, f, true, b, frames, seconds, warmup));
            progress.step(rows.size(), variants, rows.get(rows.size() - 1).summary());
          }
        }
      }
    }
    progress.done();
    out.println();
    printTable(rows, out);
    printLatin1(frames, quality, out);
    return 0;
  }

  private void check() {
    for (String r : receivers) {
      if (!r.equals("python") && !r.equals("java")) {
        throw new ParameterException(spec.commandLine(), "--receivers must be python or java, got " + r);
      }
    }
    for (int b : batches) {
      if (b < 1 || b > 1024) {
        throw new ParameterException(spec.commandLine(), "--batches must be within 1..1024, got " + b);
      }
    }
    if (quality < 1 || quality > 100) {
      throw new ParameterException(spec.commandLine(), "--quality must be within 1..100, got " + quality);
    }
    if (!(seconds > 0) || !(warmup >= 0)) {
      throw new ParameterException(spec.commandLine(), "--seconds must be positive and --warmup not negative, got "
          + seconds + " and " + warmup);
    }
  }

  /** The frames of the files given and of the *-1080p.png files in the folders given. */
  private static List<Frame> loadFrames(List<Path> sources) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path source : sources) {
      if (Files.isDirectory(source)) {
        try (Stream<Path> s = Files.list(source)) {
          List<Path> found = s.filter(p -> p.getFileName().toString().endsWith("-1080p.png")).sorted().toList();
          if (found.isEmpty()) {
            throw new IOException("no *-1080p.png frames in " + source.toAbsolutePath() + " (FRAME)");
          }
          files.addAll(found);
        }
      } else if (Files.isRegularFile(source)) {
        files.add(source);
      } else {
        throw new IOException("FRAME " + source + " does not exist (from " + Path.of("").toAbsolutePath() + ")");
      }
    }
    List<Frame> out = new ArrayList<>();
    for (Path p : files) {
      out.add(ImageFiles.read(p));
    }
    return out;
  }

  /** A batch encoded on the encoder thread, with when its encoding started. */
  private record Encoded(List<EncodedFrame> frames, long startNanos) {}

  private Row measure(ChildServer receiver, Framing framing, boolean batched, int batch, List<Frame> frames,
      double seconds, double warmup) throws IOException, InterruptedException {
    InferenceClient client = InferenceClient.builder(receiver.uri("detect")).build();
    ExecutorService encoder = Executors.newSingleThreadExecutor();
    // Used only on the encoder thread (one task at a time), closed after that thread ends.
    JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG);
    int[] next = {0};
    try {
      EncodeOptions options = EncodeOptions.cv2Yuv(quality);
      Callable<Encoded> encodeNext = () -> {
        long t0 = System.nanoTime();
        List<EncodedFrame> list = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          Frame f = frames.get(next[0]++ % frames.size());
          list.add(codec.encodeFrame(f, options).toBuilder().timestampMicros(System.nanoTime() / 1000).build());
        }
        return new Encoded(list, t0);
      };
      // Warm-up: JIT, connections, the receiver's first batch of this size; not counted.
      long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
      do {
        send(client, framing, batched, encoder.submit(encodeNext).get());
      } while (System.nanoTime() < warmEnd);

      List<Double> latencies = new ArrayList<>();
      long reqBytes = 0;
      long respBytes = 0;
      int sent = 0;
      long cpu0 = OS.getProcessCpuTime();
      long srv0 = receiver.cpuNanos();
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      Future<Encoded> pending = encoder.submit(encodeNext);
      // At least 5 requests, so that batch 64 still gives a spread of latencies.
      while (System.nanoTime() < end || latencies.size() < 5) {
        Encoded current = pending.get();
        pending = encoder.submit(encodeNext); // encode the next batch while this one is in flight
        InferenceResult r = send(client, framing, batched, current);
        latencies.add((System.nanoTime() - current.startNanos()) / 1e6);
        reqBytes += r.requestBytes();
        respBytes += r.responseBytes();
        sent += current.frames().size();
      }
      long t1 = System.nanoTime();
      pending.get(); // finish the encode in progress, then stop counting
      long cpu1 = OS.getProcessCpuTime();
      long srv1 = receiver.cpuNanos();
      double elapsed = (t1 - t0) / 1e9;
      double[] lat = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      Row row = new Row(receiver.name(), batched ? framing.name().toLowerCase(Locale.ROOT) + " batch"
          : "json per frame", batch, lat.length, sent, elapsed, (double) reqBytes / sent, (double) respBytes / sent,
          (cpu1 - cpu0) / 1e6 / sent, (srv1 - srv0) / 1e6 / sent, Stats.percentile(lat, 50), Stats.percentile(lat, 99),
          lat[lat.length - 1]);
      return row;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("encoding failed", e.getCause());
    } finally {
      encoder.shutdownNow();
      encoder.awaitTermination(5, TimeUnit.SECONDS);
      codec.close();
    }
  }

  private static InferenceResult send(InferenceClient client, Framing framing, boolean batched, Encoded e) {
    return batched ? client.detectBatch(framing, e.frames()) : client.detect(framing, e.frames().get(0));
  }

  private static void printTable(List<Row> rows, PrintWriter out) {
    out.println("| receiver | framing | batch | frames/s | x 50 fps | request B/frame | response B/frame "
        + "| client CPU ms/frame | server CPU ms/frame | p50 ms | p99 ms | p99 + fill at 50 fps ms | CPU-bound fps on 2 cores | requests |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      double fill = (r.batch() - 1) * 1000.0 / FPS; // the first frame of a batch waits for the rest
      // What two idle cores could do if client and server CPU per frame were all that counted:
      // steadier than frames/s on a machine whose cores other work takes.
      double cpuBound = 2000.0 / (r.clientCpuMsPerFrame() + r.serverCpuMsPerFrame());
      out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.2f | %,.0f | %,.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %d |%n",
          r.receiver(), r.framing(), r.batch(), r.fps(), r.fps() / FPS, r.requestBytesPerFrame(),
          r.responseBytesPerFrame(), r.clientCpuMsPerFrame(), r.serverCpuMsPerFrame(), r.p50Ms(), r.p99Ms(),
          r.p99Ms() + fill, cpuBound, r.requests());
    }
  }

  /**
   * The third option the source names, latin1 text in JSON, by size only: each payload byte as
   * the code point of the same value, JSON-escaped and UTF-8 encoded (what json.dumps with
   * ensure_ascii=False and a UTF-8 body gives): 0x20..0x7F one byte except '"' and '\' (two),
   * 0x80..0xFF two bytes, control bytes six (backslash-u00XX). With json.dumps' default
   * ensure_ascii=True, 0x80..0xFF are six bytes each instead.
   */
  private static void printLatin1(List<Frame> frames, int quality, PrintWriter out) {
    long payload = 0;
    long latin1Utf8 = 0;
    long latin1Ascii = 0;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (Frame f : frames) {
        byte[] jpg = codec.encode(f, EncodeOptions.cv2Yuv(quality));
        payload += jpg.length;
        for (byte b : jpg) {
          int v = b & 0xFF;
          int utf8 = v < 0x20 ? 6 : v == '"' || v == '\\' ? 2 : v < 0x80 ? 1 : 2;
          latin1Utf8 += utf8;
          latin1Ascii += v >= 0x80 ? 6 : utf8;
        }
      }
    }
    int n = frames.size();
    out.printf(Locale.ROOT, "%nPayload sizes per frame (mean of %d frames, cv2-yuv q%d): JPEG %,d B; base64 %,d B (x%.3f);"
        + " latin1-in-JSON as UTF-8 %,d B (x%.3f); latin1 with ensure_ascii %,d B (x%.3f)%n", n, quality,
        payload / n, 4 * ((payload / n + 2) / 3), 4.0 * ((payload / n + 2) / 3) / (payload / n),
        latin1Utf8 / n, (double) latin1Utf8 / payload, latin1Ascii / n, (double) latin1Ascii / payload);
  }

  /** The Flask peer on one OpenCV thread. */
  private static ChildServer python(String script, String model) throws IOException {
    return ChildServer.start("python", List.of(Python.interpreter(), script, "--model", model, "--threads", "1"),
        Python.INSTALL_HINT);
  }

  /** The Java receiver, {@link JavaReceiverMain}, on one OpenCV thread, in a JVM of its own. */
  private static ChildServer java(String model) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return ChildServer.start("java", List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        JavaReceiverMain.class.getName(), model, "1"), "see the stderr above");
  }
}
