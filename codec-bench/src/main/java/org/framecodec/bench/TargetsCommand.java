package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import org.framecodec.bench.ExternalTimings.Timing;
import org.framecodec.bench.support.Progress;
import org.framecodec.bench.support.Stats;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.Base64Codec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec targets}: the speed targets of the benchmarks issue, measured side by side in
 * one run on one frame, single thread: FrameCodec's TurboJPEG path against {@code tjbench}, the
 * {@code cv2-yuv} path (with base64) against the Python recipe, base64 throughput, and the
 * garbage one steady-state encode+decode makes. Medians of {@code --reps} timed runs.
 */
@Command(name = "targets", description = "Speed targets measured side by side on one frame, single thread:"
    + " TurboJPEG vs tjbench, the cv2-yuv path vs the Python recipe, base64 throughput, garbage per frame.")
final class TargetsCommand implements Callable<Integer> {
  private static final int WARMUPS = 5;

  @Spec CommandSpec spec;

  @Mixin FrameArgument frame;

  @Option(names = "--quality", paramLabel = "Q", description = "JPEG quality, 1..100.")
  int quality = 80;

  @Option(names = "--reps", paramLabel = "N", description = "Timed runs per figure and round (at least 3).")
  int reps = 41;

  @Option(names = "--rounds", paramLabel = "R", description = "Rounds alternating tjbench, FrameCodec and Python.")
  int rounds = 3;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, got " + rounds);
    }
    if (reps < 3) {
      throw new ParameterException(spec.commandLine(), "--reps must be at least 3, got " + reps);
    }
    if (quality < 1 || quality > 100) {
      throw new ParameterException(spec.commandLine(), "--quality must be within 1..100, got " + quality);
    }
    Frame f = frame.load();
    int q = quality;
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = FrameCodecCli.progress(spec);
    Path work = Files.createTempDirectory("framecodec-targets");
    try {
      // Alternate the programs in rounds, so load from elsewhere on a shared machine falls on all
      // of them alike, then take the median of each figure over the rounds.
      List<Timing> tjs = new ArrayList<>();
      List<Timing> pys = new ArrayList<>();
      List<Ours> mine = new ArrayList<>();
      int steps = 3 * rounds;
      for (int round = 1; round <= rounds; round++) {
        progress.step(tjs.size() + mine.size() + pys.size(), steps, "round " + round + ": tjbench");
        tjs.add(ExternalTimings.tjbench(f, q, work));
        progress.step(tjs.size() + mine.size() + pys.size(), steps, "round " + round + ": FrameCodec");
        mine.add(measure(f, q, reps));
        progress.step(tjs.size() + mine.size() + pys.size(), steps, "round " + round + ": Python recipe");
        pys.add(ExternalTimings.pythonRecipe(f, q, reps, work));
      }
      progress.step(steps, steps, "done");
      progress.done();
      Timing tj = medianTiming(tjs);
      Timing py = medianTiming(pys);
      Ours ours = medianOurs(mine);
      out.printf("Frame %dx%d, quality %d, single thread; medians of %d runs per round, median over %d"
          + " rounds alternating tjbench, FrameCodec and the Python recipe.%n%n", f.width(), f.height(), q,
          reps, rounds);
      out.println("| target | ours ms | reference ms | ratio | goal | met |");
      out.println("|---|---|---|---|---|---|");
      row(out, "TurboJPEG encode BGR 4:2:0 vs tjbench compress", ours.encode, tj.encodeMs(), "<= 1.10x of tjbench", ours.encode / tj.encodeMs() <= 1.10, tj.ok());
      row(out, "TurboJPEG decode to BGR vs tjbench decompress", ours.decode, tj.decodeMs(), "<= 1.10x of tjbench", ours.decode / tj.decodeMs() <= 1.10, tj.ok());
      row(out, "cv2-yuv encode + base64 vs Python recipe", ours.recipeEncode, py.encodeMs(), ">= 1.3x faster", py.encodeMs() / ours.recipeEncode >= 1.3, py.ok());
      row(out, "base64 + cv2-yuv decode vs Python recipe", ours.recipeDecode, py.decodeMs(), ">= 2x faster", py.decodeMs() / ours.recipeDecode >= 2.0, py.ok());
      out.printf("%nbase64 encode: %.2f GB/s (goal >= 1 GB/s: %s); base64 decode: %.2f GB/s%n",
          ours.base64EncodeGbps, ours.base64EncodeGbps >= 1 ? "met" : "MISSED", ours.base64DecodeGbps);
      out.printf("garbage per frame, steady state, reused buffers (cv2-yuv encode + base64 + un-base64 + decode): %d bytes (goal <= 1024: %s)%n",
          ours.garbagePerFrame, ours.garbagePerFrame <= 1024 ? "met" : "MISSED");
      out.printf("references: %s; %s%n", tj.note(), py.note());
      return 0;
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void row(PrintWriter out, String what, double ours, double ref, String goal,
      boolean met, boolean refOk) {
    if (!refOk) {
      out.printf(Locale.ROOT, "| %s | %.2f | n/a | n/a | %s | not measured |%n", what, ours, goal);
      return;
    }
    double ratio = ours <= ref ? ref / ours : -(ours / ref);
    out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %s | %s | %s |%n", what, ours, ref,
        ratio >= 0 ? String.format("%.2fx faster", ratio) : String.format("%.2fx slower", -ratio), goal,
        met ? "yes" : "NO");
  }

  private static Timing medianTiming(List<Timing> all) {
    if (all.stream().anyMatch(t -> !t.ok())) {
      return all.stream().filter(t -> !t.ok()).findFirst().orElseThrow();
    }
    return new Timing(median(all, Timing::encodeMs), median(all, Timing::decodeMs), all.get(0).note());
  }

  private static Ours medianOurs(List<Ours> all) {
    return new Ours(median(all, Ours::encode), median(all, Ours::decode), median(all, Ours::recipeEncode),
        median(all, Ours::recipeDecode), median(all, Ours::base64EncodeGbps), median(all, Ours::base64DecodeGbps),
        all.stream().mapToLong(Ours::garbagePerFrame).max().orElse(0));
  }

  private static <T> double median(List<T> all, ToDoubleFunction<T> figure) {
    return Stats.median(all.stream().mapToDouble(figure).toArray());
  }

  /** FrameCodec's medians. */
  record Ours(double encode, double decode, double recipeEncode, double recipeDecode,
      double base64EncodeGbps, double base64DecodeGbps, long garbagePerFrame) {}

  static Ours measure(Frame frame, int q, int reps) {
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      EncodeOptions std = EncodeOptions.ycbcr(q, Subsampling.S420);
      EncodeOptions recipe = EncodeOptions.cv2Yuv(q);
      byte[] jpeg = new byte[codec.maxEncodedSize(frame.width(), frame.height(), std)];
      byte[] text = new byte[Base64Codec.encodedLength(jpeg.length)];
      byte[] received = new byte[Base64Codec.maxDecodedLength(text.length)];
      Frame out = Frame.allocate(PixelFormat.BGR, frame.width(), frame.height());
      int[] n = new int[2];

      double enc = median(reps, () -> n[0] = codec.encode(frame, std, jpeg, 0));
      double dec = median(reps, () -> {
        codec.decodeInto(jpeg, 0, n[0], JpegMode.YCBCR, out);
        return 0;
      });
      double recipeEnc = median(reps, () -> {
        n[1] = codec.encode(frame, recipe, jpeg, 0);
        return Base64Codec.encode(jpeg, 0, n[1], text, 0);
      });
      int textLen = Base64Codec.encodedLength(n[1]);
      double recipeDec = median(reps, () -> {
        int len = Base64Codec.decode(text, 0, textLen, received, 0);
        codec.decodeInto(received, 0, len, JpegMode.CV2_YUV, out);
        return len;
      });
      // Base64 calls are short: warm them until the JIT has compiled the loops, then time many.
      for (int i = 0; i < 3000; i++) {
        Base64Codec.decode(text, 0, Base64Codec.encode(jpeg, 0, n[1], text, 0), received, 0);
      }
      double b64Enc = median(reps * 10, () -> Base64Codec.encode(jpeg, 0, n[1], text, 0));
      double b64Dec = median(reps * 10, () -> Base64Codec.decode(text, 0, textLen, received, 0));
      // Sender and receiver halves with reused buffers: encode, base64, un-base64, decode.
      long garbage = garbagePerFrame(() -> {
        int len = codec.encode(frame, recipe, jpeg, 0);
        int chars = Base64Codec.encode(jpeg, 0, len, text, 0);
        int got = Base64Codec.decode(text, 0, chars, received, 0);
        codec.decodeInto(received, 0, got, JpegMode.CV2_YUV, out);
        return got;
      });
      return new Ours(enc, dec, recipeEnc, recipeDec, n[1] / (b64Enc * 1e6), n[1] / (b64Dec * 1e6), garbage);
    }
  }

  private static double median(int reps, IntSupplier call) {
    return org.framecodec.bench.support.Timing.medianMs(WARMUPS, reps, call);
  }

  /** Bytes this thread allocates per call in steady state (after warm-up), from the JVM's counter. */
  static long garbagePerFrame(IntSupplier call) {
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 20; i++) {
      call.getAsInt();
    }
    int calls = 50;
    long before = bean.getThreadAllocatedBytes(id);
    for (int i = 0; i < calls; i++) {
      call.getAsInt();
    }
    return (bean.getThreadAllocatedBytes(id) - before) / calls;
  }
}
