package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import org.framecodec.bench.ExternalTimings.Timing;
import org.framecodec.bench.FrameCodecCli.UsageException;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.Base64Codec;

/**
 * {@code framecodec targets}: the speed targets of the benchmarks issue, measured side by side in
 * one run on one frame, single thread: FrameCodec's TurboJPEG path against {@code tjbench}, the
 * {@code cv2-yuv} path (with base64) against the Python recipe, base64 throughput, and the
 * garbage one steady-state encode+decode makes. Medians of {@code --reps} timed runs.
 */
final class TargetsCommand {
  private TargetsCommand() {}

  static int run(String[] args, PrintStream out) throws IOException, UsageException, InterruptedException {
    Args a = Args.parse(args, Set.of("frame", "reps", "quality", "rounds"), Set.of());
    int reps = a.getInt("reps", 41);
    int rounds = a.getInt("rounds", 3);
    if (rounds < 1) {
      throw new UsageException("--rounds must be at least 1, got " + rounds);
    }
    int q = a.getInt("quality", 80);
    EncodeOptions.cv2Yuv(q); // validates the quality
    if (reps < 3) {
      throw new UsageException("--reps must be at least 3, got " + reps);
    }
    Frame frame = BenchFrames.load(a.get("frame", null));
    Path work = Files.createTempDirectory("framecodec-targets");
    try {
      // Alternate the programs in rounds, so load from elsewhere on a shared machine falls on all
      // of them alike, then take the median of each figure over the rounds.
      List<Timing> tjs = new ArrayList<>();
      List<Timing> pys = new ArrayList<>();
      List<Ours> mine = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        tjs.add(ExternalTimings.tjbench(frame, q, work));
        mine.add(measure(frame, q, reps));
        pys.add(ExternalTimings.pythonRecipe(frame, q, reps, work));
      }
      Timing tj = medianTiming(tjs);
      Timing py = medianTiming(pys);
      Ours ours = medianOurs(mine);
      out.printf("Frame %dx%d, quality %d, single thread; medians of %d runs per round, median over %d"
          + " rounds alternating tjbench, FrameCodec and the Python recipe.%n%n", frame.width(), frame.height(), q,
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
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void row(PrintStream out, String what, double ours, double ref, String goal,
      boolean met, boolean refOk) {
    if (!refOk) {
      out.printf("| %s | %.2f | n/a | n/a | %s | not measured |%n", what, ours, goal);
      return;
    }
    double ratio = ours <= ref ? ref / ours : -(ours / ref);
    out.printf("| %s | %.2f | %.2f | %s | %s | %s |%n", what, ours, ref,
        ratio >= 0 ? String.format("%.2fx faster", ratio) : String.format("%.2fx slower", -ratio), goal,
        met ? "yes" : "NO");
  }

  private static Timing medianTiming(List<Timing> all) {
    if (all.stream().anyMatch(t -> !t.ok())) {
      return all.stream().filter(t -> !t.ok()).findFirst().orElseThrow();
    }
    return new Timing(median(all.stream().mapToDouble(Timing::encodeMs).toArray()),
        median(all.stream().mapToDouble(Timing::decodeMs).toArray()), all.get(0).note());
  }

  private static Ours medianOurs(List<Ours> all) {
    return new Ours(median(all.stream().mapToDouble(Ours::encode).toArray()),
        median(all.stream().mapToDouble(Ours::decode).toArray()),
        median(all.stream().mapToDouble(Ours::recipeEncode).toArray()),
        median(all.stream().mapToDouble(Ours::recipeDecode).toArray()),
        median(all.stream().mapToDouble(Ours::base64EncodeGbps).toArray()),
        median(all.stream().mapToDouble(Ours::base64DecodeGbps).toArray()),
        all.stream().mapToLong(Ours::garbagePerFrame).max().orElse(0));
  }

  private static double median(double[] v) {
    return ReportCommand.median(v);
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

  /** Median wall-clock milliseconds of {@code reps} calls after 5 warm-up calls. */
  static double median(int reps, IntSupplier call) {
    double[] t = new double[reps];
    int sink = 0;
    for (int i = -5; i < reps; i++) {
      long t0 = System.nanoTime();
      sink += call.getAsInt();
      long t1 = System.nanoTime();
      if (i >= 0) {
        t[i] = (t1 - t0) / 1e6;
      }
    }
    if (sink == 42) {
      System.out.print(""); // keeps the results alive
    }
    return ReportCommand.median(t);
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
