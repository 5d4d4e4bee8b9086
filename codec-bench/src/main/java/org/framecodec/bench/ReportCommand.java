package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.framecodec.bench.support.RoundTripTiming;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.Luma;
import org.framecodec.wire.Base64Codec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec report}: encodes one frame (the bundled 1080p photograph by default) in every
 * mode at several qualities on both backends, and prints a Markdown table of payload bytes,
 * base64 bytes, PSNR, and median encode and decode times (single thread, wall clock, after
 * warm-up). A quick look, not a benchmark: the JMH suites are the measurement of record.
 */
@Command(name = "report", description = "Encode a frame in every mode at qualities 50/80/90/100 on both backends:"
    + " bytes, base64 bytes, PSNR, median encode and decode ms.")
final class ReportCommand implements Callable<Integer> {
  private static final int[] QUALITIES = {50, 80, 90, 100};
  private static final int WARMUPS = 2;
  private static final List<EncodeOptions> MODES = List.of(EncodeOptions.cv2Yuv(80),
      EncodeOptions.ycbcr(80, Subsampling.S420), EncodeOptions.ycbcr(80, Subsampling.S444),
      EncodeOptions.gray(80));

  @Spec CommandSpec spec;

  @Mixin FrameArgument frame;

  @Option(names = "--reps", paramLabel = "N", description = "Timed runs per cell (after 2 warm-up runs).")
  int reps = 9;

  @Override
  public Integer call() throws IOException {
    if (reps < 1) {
      throw new ParameterException(spec.commandLine(), "--reps must be at least 1, got " + reps);
    }
    Frame f = frame.load();
    Frame luma = Luma.of(f);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Frame: %s (%dx%d BGR, %,d bytes raw), %d timed runs per cell, median ms%n%n",
        frame.label(), f.width(), f.height(), f.byteSize(), reps);
    out.println("| backend | mode | quality | bytes | base64 bytes | vs raw | PSNR dB | encode ms | decode ms |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (CodecBackend backend : CodecBackend.values()) {
      try (JpegCodec codec = JpegCodec.open(backend)) {
        for (EncodeOptions base : MODES) {
          for (int q : QUALITIES) {
            out.println(row(codec, f, luma, base.withQuality(q)));
          }
        }
      }
    }
    return 0;
  }

  private String row(JpegCodec codec, Frame frame, Frame luma, EncodeOptions o) {
    RoundTripTiming t = RoundTripTiming.measure(codec, frame, o, WARMUPS, reps);
    double psnr = FrameMetrics.psnr(o.mode() == JpegMode.GRAY ? luma : frame, t.decoded());
    return String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d | %.1fx | %.2f | %.2f | %.2f |",
        codec.backend().name().toLowerCase(Locale.ROOT), modeLabel(o), o.quality(), t.bytes(),
        Base64Codec.encodedLength(t.bytes()), (double) frame.byteSize() / t.bytes(), psnr, t.encodeMs(),
        t.decodeMs());
  }

  private static String modeLabel(EncodeOptions o) {
    return o.mode() == JpegMode.YCBCR ? "ycbcr " + o.subsampling().label() : o.mode().wireName();
  }
}
