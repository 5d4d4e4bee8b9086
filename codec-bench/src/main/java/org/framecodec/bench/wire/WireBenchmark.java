package org.framecodec.bench.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the framing benchmarks share: their settings (average time in microseconds, short
 * iterations, one fork), the {@code frames} parameter (one frame or a 32-frame batch), and real
 * payloads: the cv2-yuv recipe at quality 80 (the Python peer's wire format) of the bundled 1080p
 * frame, or of the file named by {@code -Dframecodec.frame}. Inputs are made in each subclass's
 * {@code @Setup}; the helpers are stateless.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public abstract class WireBenchmark {
  static final int QUALITY = 80;
  static final int SEED = 42;
  /** The stream id and first timestamp the frames carry, as a camera's would. */
  static final String STREAM = "camera-01";
  static final long TIMESTAMP_MICROS = 1_700_000_000_000_000L;

  @Param({"1", "32"})
  public int frames;

  /**
   * {@code n} distinct frames: the first of the frame itself, the others of copies rolled
   * sideways by a seeded random number of pixels, so a batch holds different bytes of the same
   * size class (about 167 KB each for the bundled frame) and no payload is a cache-warm repeat.
   * Each carries the stream id and a timestamp.
   */
  static List<EncodedFrame> encodedFrames(int n) {
    Frame frame;
    try {
      String file = System.getProperty("framecodec.frame");
      frame = BenchImages.load(file == null ? null : Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] px = frame.toByteArray();
    int w = frame.width();
    int h = frame.height();
    Random rnd = new Random(SEED);
    List<EncodedFrame> out = new ArrayList<>(n);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (int i = 0; i < n; i++) {
        int shift = i == 0 ? 0 : 1 + rnd.nextInt(w - 1);
        byte[] rolled = new byte[px.length];
        for (int y = 0; y < h; y++) {
          int row = y * w * 3;
          System.arraycopy(px, row, rolled, row + shift * 3, (w - shift) * 3);
          System.arraycopy(px, row + (w - shift) * 3, rolled, row, shift * 3);
        }
        EncodedFrame f = codec.encodeFrame(Frame.wrap(rolled, PixelFormat.BGR, w, h), EncodeOptions.cv2Yuv(QUALITY));
        out.add(f.toBuilder().streamId(STREAM).timestampMicros(TIMESTAMP_MICROS).build());
      }
      return out;
    }
  }

  /** The payload bytes of {@link #encodedFrames}. */
  static List<byte[]> payloads(int n) {
    return encodedFrames(n).stream().map(EncodedFrame::payloadCopy).toList();
  }

  static long totalBytes(List<byte[]> payloads) {
    return payloads.stream().mapToLong(p -> p.length).sum();
  }
}
