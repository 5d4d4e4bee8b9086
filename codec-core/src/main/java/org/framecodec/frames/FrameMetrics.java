package org.framecodec.frames;

/**
 * Fidelity measures between two frames of the same format and size: PSNR, SSIM and the largest
 * per-byte difference. Stateless and thread-safe. PSNR reads both frames and allocates nothing
 * per row; SSIM works on float copies of the luma (about 28 bytes per pixel of scratch).
 */
public final class FrameMetrics {
  private FrameMetrics() {}

  /**
   * {@return the mean squared error over every byte of the two frames}
   *
   * @param a one frame
   * @param b the other frame, of the same format and size
   */
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

  /**
   * {@return the peak signal-to-noise ratio in dB for 8-bit data; {@code +Infinity} for identical
   * frames}
   *
   * @param a one frame
   * @param b the other frame, of the same format and size
   */
  public static double psnr(Frame a, Frame b) {
    double mse = meanSquaredError(a, b);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /** Side of the SSIM window in pixels (Wang et al. 2004: 11x11 Gaussian). */
  public static final int SSIM_WINDOW = 11;

  /** Standard deviation of the SSIM window's Gaussian, in pixels. */
  public static final double SSIM_SIGMA = 1.5;

  // K1 = 0.01 and K2 = 0.03 of the dynamic range L = 255, as in the paper.
  private static final double SSIM_C1 = (0.01 * 255) * (0.01 * 255);
  private static final double SSIM_C2 = (0.03 * 255) * (0.03 * 255);

  /**
   * {@return the mean structural similarity (SSIM) of the luma of two frames, in [-1, 1]; exactly 1
   * for
   * identical frames}
   *
   * <p>The standard formulation of Wang, Bovik, Sheikh and Simoncelli, "Image quality
   * assessment: from error visibility to structural similarity" (IEEE TIP 2004): at every
   * position where an 11x11 window fits wholly inside the frame ("valid" positions, no padding),
   * local means, variances and covariance are taken with a normalised Gaussian window of sigma
   * 1.5 (population statistics, not sample), and
   *
   * <pre>
   *   SSIM = (2 mx my + C1) (2 sxy + C2) / ((mx^2 + my^2 + C1) (sx^2 + sy^2 + C2)),
   *   C1 = (0.01 * 255)^2, C2 = (0.03 * 255)^2
   * </pre>
   *
   * <p>The result is the plain mean over those positions. Unlike the authors' {@code ssim.m} it
   * does not first downsample large images (that step models viewing distance, and would hide the
   * 8x8-block artefacts this library's users want to see); it equals scikit-image's {@code
   * structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
   * data_range=255)} restricted to the same valid region.
   *
   * <p>Colour is reduced first: GRAY frames are used as they are; BGR and RGB frames are turned
   * into BT.601 luma with {@link Luma#of}, which is where JPEG spends most of its bits and what
   * SSIM was defined on. Comparing a GRAY frame with the luma of a colour frame is the caller's
   * job ({@code ssim(Luma.of(bgr), gray)}).
   *
   * @param a one frame
   * @param b the other frame, of the same format and size
   * @throws IllegalArgumentException when the formats or sizes differ, the format is planar, or
   *     the frame is smaller than the window
   */
  public static double ssim(Frame a, Frame b) {
    checkComparable(a, b);
    if (a.width() < SSIM_WINDOW || a.height() < SSIM_WINDOW) {
      throw new IllegalArgumentException("SSIM needs frames of at least " + SSIM_WINDOW + "x"
          + SSIM_WINDOW + " pixels, got " + a.width() + "x" + a.height());
    }
    float[] x = lumaFloats(a);
    float[] y = lumaFloats(b);
    int w = a.width();
    int h = a.height();
    double[] kernel = gaussianKernel();
    int ow = w - SSIM_WINDOW + 1;
    int oh = h - SSIM_WINDOW + 1;
    // Separable filter: the horizontal pass keeps all rows (5 maps of ow x h floats), then the
    // vertical pass combines 11 rows per output row. Floats hold the filtered moments with an
    // error far below C2, and halve the scratch of a 1080p frame to about 40 MB.
    float[] mx = new float[ow * h];
    float[] my = new float[ow * h];
    float[] xx = new float[ow * h];
    float[] yy = new float[ow * h];
    float[] xy = new float[ow * h];
    for (int r = 0; r < h; r++) {
      int row = r * w;
      for (int c = 0; c < ow; c++) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int k = 0; k < SSIM_WINDOW; k++) {
          double g = kernel[k];
          double vx = x[row + c + k];
          double vy = y[row + c + k];
          sx += g * vx;
          sy += g * vy;
          sxx += g * vx * vx;
          syy += g * vy * vy;
          sxy += g * vx * vy;
        }
        int o = r * ow + c;
        mx[o] = (float) sx;
        my[o] = (float) sy;
        xx[o] = (float) sxx;
        yy[o] = (float) syy;
        xy[o] = (float) sxy;
      }
    }
    double total = 0;
    for (int r = 0; r < oh; r++) {
      double rowSum = 0;
      for (int c = 0; c < ow; c++) {
        double ux = 0;
        double uy = 0;
        double exx = 0;
        double eyy = 0;
        double exy = 0;
        for (int k = 0; k < SSIM_WINDOW; k++) {
          double g = kernel[k];
          int o = (r + k) * ow + c;
          ux += g * mx[o];
          uy += g * my[o];
          exx += g * xx[o];
          eyy += g * yy[o];
          exy += g * xy[o];
        }
        double vx = exx - ux * ux;
        double vy = eyy - uy * uy;
        double cov = exy - ux * uy;
        rowSum += (2 * ux * uy + SSIM_C1) * (2 * cov + SSIM_C2)
            / ((ux * ux + uy * uy + SSIM_C1) * (vx + vy + SSIM_C2));
      }
      total += rowSum;
    }
    return total / ((double) ow * oh);
  }

  private static double[] gaussianKernel() {
    double[] k = new double[SSIM_WINDOW];
    int half = SSIM_WINDOW / 2;
    double sum = 0;
    for (int i = 0; i < SSIM_WINDOW; i++) {
      k[i] = Math.exp(-((i - half) * (i - half)) / (2 * SSIM_SIGMA * SSIM_SIGMA));
      sum += k[i];
    }
    for (int i = 0; i < SSIM_WINDOW; i++) {
      k[i] /= sum;
    }
    return k;
  }

  /** The frame's luma as tightly packed floats: GRAY as is, BGR/RGB through {@link Luma}. */
  private static float[] lumaFloats(Frame f) {
    Frame g = switch (f.format()) {
      case GRAY -> f;
      case BGR, RGB -> Luma.of(f);
      default -> throw new IllegalArgumentException("SSIM needs a GRAY, BGR or RGB frame, got "
          + f.format());
    };
    int w = g.width();
    float[] out = new float[w * g.height()];
    byte[] row = new byte[w];
    for (int y = 0; y < g.height(); y++) {
      int at = g.offset() + y * g.rowStride();
      if (g.hasArray()) {
        System.arraycopy(g.array(), at, row, 0, w);
      } else {
        g.buffer().get(at, row, 0, w);
      }
      for (int x = 0; x < w; x++) {
        out[y * w + x] = row[x] & 0xFF;
      }
    }
    return out;
  }

  /**
   * {@return the largest absolute difference between corresponding bytes}
   *
   * @param a one frame
   * @param b the other frame, of the same format and size
   */
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
