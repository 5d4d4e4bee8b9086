package org.framecodec.frames;

/**
 * Fidelity measures between two frames of the same format and size: PSNR and the largest
 * per-byte difference. Stateless and thread-safe; reads both frames, allocates nothing per row.
 */
public final class FrameMetrics {
  private FrameMetrics() {}

  /** Mean squared error over every byte of the two frames. */
  public static double meanSquaredError(Frame a, Frame b) {
    checkComparable(a, b);
    long sum = 0;
    long count = 0;
    int rowBytes = a.width() * a.format().bytesPerPixel();
    for (int plane = 0; plane < planes(a); plane++) {
      int rows = plane == 0 ? a.height() : (a.height() + 1) / 2;
      int bytes = plane == 0 ? rowBytes
          : a.format() == PixelFormat.NV12 ? 2 * ((a.width() + 1) / 2) : (a.width() + 1) / 2;
      for (int y = 0; y < rows; y++) {
        int ia = a.planeOffset(plane) + y * a.planeStride(plane);
        int ib = b.planeOffset(plane) + y * b.planeStride(plane);
        for (int x = 0; x < bytes; x++) {
          int d = byteAt(a, ia + x) - byteAt(b, ib + x);
          sum += d * d;
        }
        count += bytes;
      }
    }
    return (double) sum / count;
  }

  /** Peak signal-to-noise ratio in dB for 8-bit data; {@code +Infinity} for identical frames. */
  public static double psnr(Frame a, Frame b) {
    double mse = meanSquaredError(a, b);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /** The largest absolute difference between corresponding bytes. */
  public static int maxAbsDifference(Frame a, Frame b) {
    checkComparable(a, b);
    byte[] x = a.toByteArray();
    byte[] y = b.toByteArray();
    int max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs((x[i] & 0xFF) - (y[i] & 0xFF)));
    }
    return max;
  }

  private static int planes(Frame f) {
    return f.format() == PixelFormat.I420 ? 3 : f.format() == PixelFormat.NV12 ? 2 : 1;
  }

  private static int byteAt(Frame f, int index) {
    return (f.hasArray() ? f.array()[index] : f.buffer().get(index)) & 0xFF;
  }

  private static void checkComparable(Frame a, Frame b) {
    if (a.format() != b.format() || a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException("cannot compare " + a + " with " + b
          + ": format and size must match");
    }
  }
}
