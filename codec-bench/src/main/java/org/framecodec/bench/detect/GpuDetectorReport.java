package org.framecodec.bench.detect;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.framecodec.bench.support.Stats;
import org.framecodec.codec.BatchResult;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.detect.StageTimings;
import org.framecodec.frames.Frame;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.WireReader;

/**
 * The detector on a GPU machine, in one program that needs no JMH and no image I/O modules (so a
 * jlink runtime of java.base, java.logging and jdk.unsupported runs it):
 *
 * <ol>
 *   <li>agreement: each CUDA target, with {@code requireGpu}, against the CPU backend on the test
 *       images (box IoU >= 0.99, score within 1e-3);
 *   <li>forward pass alone, images/s per batch size (the detector's inference stage time);
 *   <li>end to end from JPEG payloads: decode on N CPU threads, pre-process, infer, post-process,
 *       with each stage's share of the wall time.
 * </ol>
 *
 * <pre>GpuDetectorReport MODEL DATA_DIR DEVICES BATCHES DECODE_THREADS SECONDS</pre>
 * DATA_DIR holds {@code *.npy} images for agreement and {@code *.jpg} cv2-yuv payloads for the
 * end-to-end run; DEVICES and BATCHES are comma lists, e.g. {@code cpu,cuda,cuda_fp16} and
 * {@code 1,16,32,64,128,256}. Prints Markdown.
 */
public final class GpuDetectorReport {
  private GpuDetectorReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: GpuDetectorReport MODEL DATA_DIR DEVICES BATCHES DECODE_THREADS SECONDS");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    Path data = Path.of(args[1]);
    List<DnnDevice> devices = Arrays.stream(args[2].split(",")).map(DnnDevice::parse).toList();
    int[] batches = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
    int decodeThreads = Integer.parseInt(args[4]);
    double seconds = Double.parseDouble(args[5]);
    PrintStream out = System.out;

    List<Frame> images = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<EncodedFrame> payloads = new ArrayList<>();
    WireReader reader = new WireReader();
    try (var files = Files.list(data)) {
      for (Path p : files.sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".npy")) {
          images.add(Npy.read(p));
          names.add(n);
        } else if (n.endsWith(".jpg")) {
          payloads.add(reader.read(Files.readAllBytes(p)).single());
        }
      }
    }
    // The 1080p payloads, decoded once, also serve as agreement images.
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (int i = 0; i < payloads.size(); i++) {
        images.add(codec.decode(payloads.get(i), PixelFormat.BGR));
        names.add("payload-" + i + ".jpg");
      }
    }
    out.printf("# Detector on %s%n%n", machine());
    out.printf("model %s; %d agreement images; %d JPEG payloads (cv2-yuv); %d decode threads; %d CPUs%n%n",
        model.getFileName(), images.size(), payloads.size(), decodeThreads, Runtime.getRuntime().availableProcessors());

    agreement(model, devices, images, names, out);
    for (DnnDevice device : devices) {
      throughput(model, device, batches, images, payloads, decodeThreads, seconds, out);
    }
  }

  private static String machine() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
        + System.getProperty("java.version");
  }

  private static Detector open(Path model, DnnDevice device) {
    return Detector.open(DetectorOptions.blazeFace(model).toBuilder().device(device)
        .requireGpu(device.isGpu()).maxBatch(256).build());
  }

  static void agreement(Path model, List<DnnDevice> devices, List<Frame> images, List<String> names,
      PrintStream out) {
    List<List<Detection>> reference;
    try (Detector cpu = open(model, DnnDevice.CPU)) {
      reference = cpu.detect(images).all();
    }
    out.println("## Agreement with the CPU backend (same images, same machine)\n");
    out.println("| device | target | image | detections (cpu / this) | min IoU | max score diff | verdict |");
    out.println("|---|---|---|---|---|---|---|");
    for (DnnDevice device : devices) {
      if (!device.isGpu()) {
        continue;
      }
      try (Detector d = open(model, device)) {
        List<List<Detection>> got = d.detect(images).all();
        for (int i = 0; i < images.size(); i++) {
          List<Detection> ref = reference.get(i);
          List<Detection> g = got.get(i);
          double minIou = 1;
          double maxDiff = 0;
          for (Detection r : ref) {
            Detection best = null;
            double bestIou = -1;
            for (Detection c : g) {
              double iou = r.box().iou(c.box());
              if (iou > bestIou) {
                bestIou = iou;
                best = c;
              }
            }
            minIou = Math.min(minIou, Math.max(0, bestIou));
            maxDiff = Math.max(maxDiff, best == null ? 1 : Math.abs(best.score() - r.score()));
          }
          boolean ok = ref.size() == g.size() && minIou >= 0.99 && maxDiff <= 1e-3;
          out.printf(Locale.ROOT, "| %s | %s | %s | %d / %d | %.4f | %.2e | %s |%n", device, d.info().target(),
              names.get(i), ref.size(), g.size(), minIou, maxDiff, ok ? "same" : "DIFFERENT");
        }
      } catch (RuntimeException e) {
        out.printf("| %s | failed | - | - | - | - | %s |%n", device, oneLine(e));
      }
    }
    out.println();
  }

  static void throughput(Path model, DnnDevice device, int[] batches, List<Frame> images,
      List<EncodedFrame> payloads, int decodeThreads, double seconds, PrintStream out) {
    out.printf("## %s%n%n", device);
    try (Detector d = open(model, device);
        ParallelBatchCodec decoder = ParallelBatchCodec.builder().backend(CodecBackend.TURBOJPEG)
            .threads(decodeThreads).build()) {
      out.printf("target %s%s%n%n", d.info().target(), d.info().fallbackReason().map(r -> " (fallback: " + r + ")").orElse(""));
      out.println("| batch | forward only img/s | end to end img/s | decode % | pre-process % | inference % | post-process % | e2e ms/batch |");
      out.println("|---|---|---|---|---|---|---|---|");
      for (int batch : batches) {
        List<Frame> frames = cycle(images, batch);
        List<EncodedFrame> jpegs = cycle(payloads, batch);
        out.println(row(d, decoder, frames, jpegs, batch, seconds));
      }
      out.println();
    } catch (RuntimeException e) {
      out.printf("%s failed: %s%n%n", device, oneLine(e));
    }
  }

  private static String row(Detector d, ParallelBatchCodec decoder, List<Frame> frames,
      List<EncodedFrame> jpegs, int batch, double seconds) {
    // Forward pass alone: the inference stage of detect() on ready frames.
    for (int i = 0; i < 3; i++) {
      d.detect(frames);
    }
    List<Double> inferMs = new ArrayList<>();
    long until = System.nanoTime() + (long) (seconds * 1e9);
    while (inferMs.size() < 5 || (System.nanoTime() < until && inferMs.size() < 1000)) {
      inferMs.add(d.detect(frames).timings().inferenceNanos() / 1e6);
    }
    // End to end from payloads: parallel decode on CPU threads, then detect.
    List<Frame> decoded = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      decoded.add(null);
    }
    List<double[]> stages = new ArrayList<>();
    for (int i = -2; ; i++) {
      long t0 = System.nanoTime();
      BatchResult<Frame> r = decoder.decode(jpegs, PixelFormat.BGR);
      long t1 = System.nanoTime();
      if (r.failureCount() > 0) {
        throw new IllegalStateException(r.failureCount() + " payloads failed to decode");
      }
      for (int k = 0; k < batch; k++) {
        decoded.set(k, r.get(k));
      }
      DetectionBatch b = d.detect(decoded);
      long t2 = System.nanoTime();
      StageTimings t = b.timings();
      if (i >= 0) {
        stages.add(new double[] {(t1 - t0) / 1e6, t.preprocessNanos() / 1e6, t.inferenceNanos() / 1e6,
            t.postprocessNanos() / 1e6, (t2 - t0) / 1e6});
      }
      if (i >= 4 && (System.nanoTime() > until + (long) (seconds * 1e9) || i >= 200)) {
        break;
      }
    }
    double fwd = Stats.median(inferMs);
    double[] med = new double[5];
    for (int s = 0; s < 5; s++) {
      final int k = s;
      med[s] = Stats.median(stages.stream().mapToDouble(a -> a[k]).toArray());
    }
    double total = med[4];
    return String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f |", batch,
        batch / fwd * 1000, batch / total * 1000, 100 * med[0] / total, 100 * med[1] / total,
        100 * med[2] / total, 100 * med[3] / total, total);
  }

  private static <T> List<T> cycle(List<T> items, int n) {
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
