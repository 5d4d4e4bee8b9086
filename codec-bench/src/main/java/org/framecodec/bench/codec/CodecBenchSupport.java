package org.framecodec.bench.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;

/** Shared setup of the codec benchmarks: the frame under test and the mode names used as @Param values. */
final class CodecBenchSupport {
  private CodecBenchSupport() {}

  /** The bundled 1080p frame, or the file named by -Dframecodec.frame. */
  static Frame frame() {
    try {
      String file = System.getProperty("framecodec.frame");
      return BenchImages.load(file == null ? null : Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code cv2-yuv}, {@code ycbcr-420|422|444} or {@code gray} with a quality. */
  static EncodeOptions options(String mode, int quality) {
    if (mode.startsWith("ycbcr-")) {
      return EncodeOptions.ycbcr(quality, Subsampling.parse(mode.substring(6)));
    }
    return EncodeOptions.of(JpegMode.fromWireName(mode), quality);
  }
}
