package org.framecodec.bench.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the codec benchmarks share: their settings (sampled time in milliseconds, short
 * iterations, one fork with a 2 GB heap), the frame under test and the mode names used as
 * {@code @Param} values. Stateless helpers; inputs are made in each subclass's {@code @Setup}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public abstract class CodecBenchmark {

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
