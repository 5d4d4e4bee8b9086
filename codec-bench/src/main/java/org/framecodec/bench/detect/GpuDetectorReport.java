package org.framecodec.bench.detect;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorInfo;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.detect.GpuDecode;
import org.framecodec.detect.StageTimings;
import org.framecodec.wire.WireReader;

/**
 * Payloads to detections on a GPU machine, in one program that needs no JMH and no image I/O
 * modules (a jlink runtime of java.base, java.logging and jdk.unsupported runs it):
 *
 * <ol>
 *   <li>accuracy: each decode path against the full-size CPU path, on the sweep's face set (front
 *       model) and on the composited 1080p photographs (back model): faces per image, the worst
 *       IoU and score change, and the verdict against the bound (IoU >= 0.9, score within 0.02);
 *   <li>throughput: for each path and batch size, images/s end to end from 1080p cv2-yuv
 *       payloads with three batches in flight (one more per nvJPEG stream past the first), p50
 *       and p99 latency per batch, each stage's busy time as a share of the wall time, and the
 *       share of the payloads nvJPEG decoded.
 * </ol>
 *
 * <pre>GpuDetectorReport DATA_DIR DEVICE BATCHES SECONDS [PATHS]</pre>
 * DATA_DIR is what {@link PrepareGpuData} wrote; DEVICE {@code cuda} or {@code cpu}; BATCHES a comma
 * list; PATHS a comma list of the names in {@link #PATHS} (default all): {@code cpu-full,
 * cpu-scaled}; {@code gpu-hardware} and {@code gpu-hybrid} (nvJPEG alone, with {@code -Ns}
 * decoders); {@code gpu-hardware+cpu} (the defaults: the JPEG engines and the CPU workers claim
 * from each batch) and its variants: one or three nvJPEG streams ({@code -1s}, {@code -3s}), 12
 * to 16 CPU workers ({@code -16t} and so on), one or three copies of the network ({@code -1m},
 * {@code -3m}), blocks of 64 or 128 ({@code -b64}, {@code -b128}); and {@code gpu-hybrid+cpu-Ns}
 * (GPU-hybrid decoders with the CPU workers). Prints Markdown.
 */
public final class GpuDetectorReport {
  private static final int IN_FLIGHT = 3;
  private static final double MIN_IOU = 0.9;
  private static final double SCORE_TOLERANCE = 0.02;

  /** A decode path: a name and how it changes the detector's options. */
  record PathConfig(String name, UnaryOperator<DetectorOptions.Builder> options) {}

  static final List<PathConfig> PATHS = List.of(
      new PathConfig("cpu-full", b -> b.gpuDecode(GpuDecode.OFF).scaledDecode(false)),
      new PathConfig("cpu-scaled", b -> b.gpuDecode(GpuDecode.OFF)),
      new PathConfig("gpu-hardware", b -> b.gpuDecode(GpuDecode.HARDWARE).gpuDecodeShare(1)),
      new PathConfig("gpu-hardware-1s",
          b -> b.gpuDecode(GpuDecode.HARDWARE).gpuDecodeShare(1).gpuDecodeStreams(1)),
      new PathConfig("gpu-hybrid", b -> b.gpuDecode(GpuDecode.GPU_HYBRID).gpuDecodeShare(1)),
      new PathConfig("gpu-hybrid-4s",
          b -> b.gpuDecode(GpuDecode.GPU_HYBRID).gpuDecodeShare(1).gpuDecodeStreams(4)),
      mixed("", b -> b),
      mixed("-1s", b -> b.gpuDecodeStreams(1)),
      mixed("-3s", b -> b.gpuDecodeStreams(3)),
      mixed("-16t", b -> b.decodeThreads(16)),
      mixed("-15t", b -> b.decodeThreads(15)),
      mixed("-14t", b -> b.decodeThreads(14)),
      mixed("-12t", b -> b.decodeThreads(12)),
      mixed("-1m", b -> b.modelInstances(1)),
      mixed("-3m", b -> b.modelInstances(3)),
      mixed("-15t-3s", b -> b.decodeThreads(15).gpuDecodeStreams(3)),
      mixed("-b64", b -> b.gpuDecodeBlock(64)),
      mixed("-b128", b -> b.gpuDecodeBlock(128)),
      new PathConfig("gpu-hybrid-6s",
          b -> b.gpuDecode(GpuDecode.GPU_HYBRID).gpuDecodeShare(1).gpuDecodeStreams(6)),
      hybrid("-4s", b -> b.gpuDecodeStreams(4)),
      hybrid("-6s", b -> b.gpuDecodeStreams(6)));

  /** {@code gpu-hardware+cpu} (the JPEG engines and the CPU workers claiming from each batch) and a variant. */
  private static PathConfig mixed(String suffix, UnaryOperator<DetectorOptions.Builder> variant) {
    return new PathConfig("gpu-hardware+cpu" + suffix,
        b -> variant.apply(b.gpuDecode(GpuDecode.HARDWARE).gpuDecodeShare(-1)));
  }

  /** {@code gpu-hybrid+cpu} (Huffman decoding on the GPU's cores and the CPU workers) and a variant. */
  private static PathConfig hybrid(String suffix, UnaryOperator<DetectorOptions.Builder> variant) {
    return new PathConfig("gpu-hybrid+cpu" + suffix,
        b -> variant.apply(b.gpuDecode(GpuDecode.GPU_HYBRID).gpuDecodeShare(-1)));
  }

  private GpuDetectorReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: GpuDetectorReport DATA_DIR DEVICE BATCHES SECONDS [PATHS]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    DnnDevice device = DnnDevice.parse(args[1]);
    int[] batches = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
    double seconds = Double.parseDouble(args[3]);
    List<String> wanted = args.length > 4 ? List.of(args[4].split(",")) : null;
    List<PathConfig> paths = PATHS.stream().filter(p -> wanted == null || wanted.contains(p.name())).toList();
    PrintStream out = System.out;
    out.printf("%s; %d CPUs; device %s%n%n", machine(), Runtime.getRuntime().availableProcessors(), device);
    accuracy(data, device, paths, out);
    List<EncodedFrame> payloads = payloads(data.resolve("throughput"));
    out.printf("## Throughput: %d distinct 1080p cv2-yuv q80 payloads, front model, %d batches in"
        + " flight (one more per nvJPEG stream past the first)%n%n", payloads.size(), IN_FLIGHT);
    out.println("| path | batch | img/s | p50 ms/batch | p99 ms/batch | decode % | pre-process % | inference % | post-process % | GPU share | notes |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (PathConfig p : paths) {
      for (int batch : batches) {
        out.println(throughput(data.resolve("front.onnx"), device, p, payloads, batch, seconds));
        out.flush();
      }
    }
  }

  static String machine() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
        + System.getProperty("java.version");
  }

  static List<EncodedFrame> payloads(Path dir) throws IOException {
    WireReader reader = new WireReader();
    List<EncodedFrame> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
        out.add(reader.read(Files.readAllBytes(p)).single());
      }
    }
    return out;
  }

  static Detector open(Path model, DnnDevice device, PathConfig path, int maxBatch) {
    return Detector.open(options(model, device, path, maxBatch));
  }

  static DetectorOptions options(Path model, DnnDevice device, PathConfig path, int maxBatch) {
    DetectorOptions.Builder b = DetectorOptions.blazeFace(model).toBuilder().device(device)
        .requireGpu(device.isGpu()).maxBatch(maxBatch);
    return path.options().apply(b).build();
  }

  /**
   * Batches kept in flight: one per chunk the detector's pipeline holds (three, and one more per
   * nvJPEG stream and per copy of the network past the first), so the pipeline is never starved
   * and a submit never waits.
   */
  static int inFlight(DetectorOptions o, DetectorInfo info) {
    return IN_FLIGHT + (info.gpuDecode().startsWith("off") ? 0 : o.gpuDecodeStreams() - 1)
        + info.modelInstances() - 1;
  }

  static void accuracy(Path data, DnnDevice device, List<PathConfig> paths, PrintStream out)
      throws IOException {
    out.println("## Accuracy against the full-size CPU path\n");
    out.println("| set | path | faces (reference / this) | min IoU | max score change | verdict | decode |");
    out.println("|---|---|---|---|---|---|---|");
    String[][] sets = {{"faceset", "front.onnx"}, {"composites", "back.onnx"}};
    for (String[] set : sets) {
      List<EncodedFrame> payloads = payloads(data.resolve(set[0]));
      Path model = data.resolve(set[1]);
      List<List<Detection>> reference;
      try (Detector d = open(model, device, PATHS.get(0), 16)) {
        reference = d.detectEncoded(payloads).all();
      }
      for (PathConfig p : paths) {
        if (p == PATHS.get(0)) {
          continue;
        }
        try (Detector d = open(model, device, p, 16)) {
          List<List<Detection>> got = d.detectEncoded(payloads).all();
          int refFaces = 0;
          int gotFaces = 0;
          double minIou = 1;
          double maxDiff = 0;
          boolean counts = true;
          for (int i = 0; i < payloads.size(); i++) {
            refFaces += reference.get(i).size();
            gotFaces += got.get(i).size();
            counts &= reference.get(i).size() == got.get(i).size();
            for (Detection r : reference.get(i)) {
              Detection best = null;
              for (Detection c : got.get(i)) {
                if (best == null || r.box().iou(c.box()) > r.box().iou(best.box())) {
                  best = c;
                }
              }
              minIou = Math.min(minIou, best == null ? 0 : r.box().iou(best.box()));
              maxDiff = Math.max(maxDiff, best == null ? 1 : Math.abs(best.score() - r.score()));
            }
          }
          boolean ok = counts && minIou >= MIN_IOU && maxDiff <= SCORE_TOLERANCE;
          out.printf(Locale.ROOT, "| %s | %s | %d / %d | %.3f | %.4f | %s | %s |%n", set[0], p.name(),
              refFaces, gotFaces, minIou, maxDiff, ok ? "within bound" : "OUTSIDE BOUND",
              d.info().gpuDecode());
        } catch (RuntimeException e) {
          out.printf("| %s | %s | - | - | - | failed: %s | |%n", set[0], p.name(), oneLine(e));
        }
      }
    }
    out.println();
  }

  static String throughput(Path model, DnnDevice device, PathConfig path, List<EncodedFrame> payloads,
      int batch, double seconds) {
    DetectorOptions options = options(model, device, path, batch);
    try (Detector d = Detector.open(options)) {
      int inFlight = inFlight(options, d.info());
      List<EncodedFrame> frames = cycle(payloads, batch);
      run(d, frames, Math.min(2.0, seconds / 2), inFlight); // warm-up: JIT, CUDA, the GPU share settles
      Run r = run(d, frames, seconds, inFlight);
      StageTimings t = r.timings;
      double wall = t.totalNanos();
      return String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %s | %s |",
          path.name(), batch, r.imagesPerSecond, r.p50, r.p99, 100 * t.decodeNanos() / wall,
          100 * t.preprocessNanos() / wall, 100 * t.inferenceNanos() / wall,
          100 * t.postprocessNanos() / wall, String.format(Locale.ROOT, "%.2f", r.gpuShare),
          d.info().gpuDecode().replace('|', '/') + "; " + d.info().target() + " x"
          + d.info().modelInstances() + "; " + d.info().decodeThreads() + " workers");
    } catch (RuntimeException e) {
      return String.format("| %s | %d | failed | | | | | | | | %s |", path.name(), batch, oneLine(e));
    }
  }

  /** What one timed run measured: throughput, batch latency percentiles, stage times summed. */
  record Run(double imagesPerSecond, double p50, double p99, StageTimings timings, double gpuShare) {}

  /** Keeps {@code maxInFlight} batches submitted for {@code seconds}; waits for all at the end. */
  static Run run(Detector d, List<EncodedFrame> frames, double seconds, int maxInFlight) {
    ArrayDeque<CompletableFuture<DetectionBatch>> inFlight = new ArrayDeque<>();
    ArrayDeque<Long> submitted = new ArrayDeque<>();
    List<Double> latencies = new ArrayList<>();
    StageTimings sum = StageTimings.zero();
    long start = System.nanoTime();
    long until = start + (long) (seconds * 1e9);
    int done = 0;
    long gpu = 0;
    while (System.nanoTime() < until || !inFlight.isEmpty()) {
      if (System.nanoTime() < until && inFlight.size() < maxInFlight) {
        submitted.add(System.nanoTime());
        inFlight.add(d.detectEncodedAsync(frames));
        continue;
      }
      DetectionBatch b = inFlight.poll().join();
      latencies.add((System.nanoTime() - submitted.poll()) / 1e6);
      sum = sum.plus(b.timings());
      done += frames.size();
      gpu += b.gpuDecoded();
    }
    long wall = System.nanoTime() - start;
    double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    StageTimings busy = new StageTimings(sum.decodeNanos(), sum.preprocessNanos(),
        sum.inferenceNanos(), sum.postprocessNanos(), wall);
    return new Run(done / (wall / 1e9), percentile(l, 50), percentile(l, 99), busy,
        done == 0 ? 0 : (double) gpu / done);
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static <T> List<T> cycle(List<T> items, int n) {
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(items.get(i % items.size()));
    }
    return out;
  }

  private static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.replace('\n', ' ').replace('|', '/');
  }
}
