package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.framecodec.bench.FrameCodecCli.UsageException;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.Luma;
import org.framecodec.frames.PixelFormat;

/**
 * {@code framecodec report}: encodes one frame (the bundled 1080p photograph by default) in every
 * mode at several qualities on both backends, and prints a Markdown table of payload bytes,
 * base64 bytes, PSNR, and median encode and decode times (single thread, wall clock, after
 * warm-up). A quick look, not a benchmark: the JMH suites are the measurement of record.
 */
final class ReportCommand {
  private static final int[] QUALITIES = {50, 80, 90, 100};
  private static final List<EncodeOptions> MODES = List.of(EncodeOptions.cv2Yuv(80),
      EncodeOptions.ycbcr(80, Subsampling.S420), EncodeOptions.ycbcr(80, Subsampling.S444),
      EncodeOptions.gray(80));

  private ReportCommand() {}

  static int run(String[] args, PrintStream out) throws IOException, UsageException {
    Args a = Args.parse(args, Set.of("frame", "reps"), Set.of());
    int reps = a.getInt("reps", 9);
    if (reps < 1) {
      throw new UsageException("--reps must be at least 1, got " + reps);
    }
    Frame frame = BenchFrames.load(a.get("frame", null));
    Frame luma = Luma.of(frame);
    out.printf("Frame: %s (%dx%d BGR, %,d bytes raw), %d timed runs per cell, median ms%n%n",
        a.get("frame", "bundled " + BenchFrames.BUNDLED), frame.width(), frame.height(),
        frame.byteSize(), reps);
    out.println("| backend | mode | quality | bytes | base64 bytes | vs raw | PSNR dB | encode ms | decode ms |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (CodecBackend backend : CodecBackend.values()) {
      try (JpegCodec codec = JpegCodec.open(backend)) {
        for (EncodeOptions base : MODES) {
          for (int q : QUALITIES) {
            EncodeOptions o = base.withQuality(q);
            out.println(row(codec, frame, luma, o, reps));
          }
        }
      }
    }
    return 0;
  }

  private static String row(JpegCodec codec, Frame frame, Frame luma, EncodeOptions o, int reps) {
    byte[] buf = new byte[codec.maxEncodedSize(frame.width(), frame.height(), o)];
    PixelFormat outFormat = o.mode() == JpegMode.GRAY ? PixelFormat.GRAY : PixelFormat.BGR;
    Frame decoded = Frame.allocate(outFormat, frame.width(), frame.height());
    int n = 0;
    double[] enc = new double[reps];
    double[] dec = new double[reps];
    for (int i = -2; i < reps; i++) { // two warm-up rounds
      long t0 = System.nanoTime();
      n = codec.encode(frame, o, buf, 0);
      long t1 = System.nanoTime();
      codec.decodeInto(buf, 0, n, o.mode(), decoded);
      long t2 = System.nanoTime();
      if (i >= 0) {
        enc[i] = (t1 - t0) / 1e6;
        dec[i] = (t2 - t1) / 1e6;
      }
    }
    double psnr = FrameMetrics.psnr(o.mode() == JpegMode.GRAY ? luma : frame, decoded);
    long b64 = 4L * ((n + 2) / 3);
    return String.format("| %s | %s | %d | %,d | %,d | %.1fx | %.2f | %.2f | %.2f |",
        codec.backend().name().toLowerCase(), modeLabel(o), o.quality(), n, b64,
        (double) frame.byteSize() / n, psnr, median(enc), median(dec));
  }

  static String modeLabel(EncodeOptions o) {
    return o.mode() == JpegMode.YCBCR ? "ycbcr " + o.subsampling().label() : o.mode().wireName();
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
