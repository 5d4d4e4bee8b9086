package org.framecodec.bench.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.nio.file.Path;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.codec.EncodedFrame;

/**
 * Shared setup of the framing benchmarks: real payloads, the cv2-yuv recipe at quality 80 (the
 * Python peer's wire format) of the bundled 1080p frame, or of the file named by
 * -Dframecodec.frame.
 */
final class WireBenchSupport {
  static final int QUALITY = 80;
  static final int SEED = 42;

  private WireBenchSupport() {}

  /**
   * {@code n} distinct payloads: the first of the frame itself, the others of copies rolled
   * sideways by a seeded random number of pixels, so a batch holds different bytes of the same
   * size class (about 167 KB each for the bundled frame) and no payload is a cache-warm repeat.
   */
  static List<byte[]> payloads(int n) {
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
    List<byte[]> out = new ArrayList<>(n);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (int i = 0; i < n; i++) {
        int shift = i == 0 ? 0 : 1 + rnd.nextInt(w - 1);
        byte[] rolled = new byte[px.length];
        for (int y = 0; y < h; y++) {
          int row = y * w * 3;
          System.arraycopy(px, row, rolled, row + shift * 3, (w - shift) * 3);
          System.arraycopy(px, row + (w - shift) * 3, rolled, row, shift * 3);
        }
        out.add(codec.encode(Frame.wrap(rolled, PixelFormat.BGR, w, h), EncodeOptions.cv2Yuv(QUALITY)));
      }
      return out;
    }
  }

  /** The payloads as frames of the wire classes, as a peer would send them. */
  static List<EncodedFrame> frames(List<byte[]> payloads, int width, int height) {
    List<EncodedFrame> out = new ArrayList<>(payloads.size());
    for (byte[] p : payloads) {
      out.add(EncodedFrame.builder().payload(p).size(width, height).channels(3).mode(JpegMode.CV2_YUV)
          .quality(QUALITY).timestampMicros(1_700_000_000_000_000L).streamId("camera-01").build());
    }
    return out;
  }

  static int width() {
    return 1920;
  }

  static int height() {
    return 1080;
  }

  static long totalBytes(List<byte[]> payloads) {
    long sum = 0;
    for (byte[] p : payloads) {
      sum += p.length;
    }
    return sum;
  }
}
