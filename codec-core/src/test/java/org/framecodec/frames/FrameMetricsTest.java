package org.framecodec.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;

class FrameMetricsTest {

  /** A smooth gradient with seeded noise: texture for SSIM to see, no clipping at the edges. */
  static Frame texture(int w, int h, long seed) {
    Random rnd = new Random(seed);
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int v = 40 + (x * 120) / w + (y * 60) / h + 20 * c + rnd.nextInt(30);
          px[(y * w + x) * 3 + c] = (byte) v;
        }
      }
    }
    return Frame.wrap(px, PixelFormat.BGR, w, h);
  }

  static Frame gray(int w, int h, int value) {
    byte[] px = new byte[w * h];
    java.util.Arrays.fill(px, (byte) value);
    return Frame.wrap(px, PixelFormat.GRAY, w, h);
  }

  @Test
  void identicalFramesHaveSsimOne() {
    Frame f = texture(64, 48, 1);
    assertEquals(1.0, FrameMetrics.ssim(f, f), 0.0);
    assertEquals(1.0, FrameMetrics.ssim(f, Frame.wrap(f.toByteArray(), PixelFormat.BGR, 64, 48)), 0.0);
    assertEquals(1.0, FrameMetrics.ssim(gray(20, 20, 7), gray(20, 20, 7)), 0.0);
  }

  /**
   * Flat 100 against flat 110: both variances and the covariance are zero, so only the luminance
   * term is left, (2 * 100 * 110 + C1) / (100^2 + 110^2 + C1) with C1 = 2.55^2 = 6.5025.
   */
  @Test
  void uniformShiftGivesTheLuminanceTermOnly() {
    double expected = (2 * 100 * 110 + 6.5025) / (100 * 100 + 110 * 110 + 6.5025);
    assertEquals(0.995476, expected, 1e-6);
    assertEquals(expected, FrameMetrics.ssim(gray(32, 24, 100), gray(32, 24, 110)), 1e-9);
  }

  /**
   * An inverted texture has covariance -variance, so the structure term is negative; with this
   * low-contrast noise (local variance comparable to C2) it lands near -0.25, not -1.
   */
  @Test
  void invertedTextureIsNegative() {
    Frame f = texture(40, 40, 2);
    Frame g = Luma.of(f);
    byte[] inv = g.toByteArray();
    for (int i = 0; i < inv.length; i++) {
      inv[i] = (byte) (255 - (inv[i] & 0xFF));
    }
    double s = FrameMetrics.ssim(g, Frame.wrap(inv, PixelFormat.GRAY, 40, 40));
    assertTrue(s < -0.1 && s > -1, "SSIM of the inverse " + s);
  }

  /** The separable implementation against the formula evaluated window by window. */
  @Test
  void matchesABruteForceWindowByWindowReference() {
    Frame a = Luma.of(texture(37, 29, 3));
    Frame b = Luma.of(texture(37, 29, 4));
    assertEquals(bruteForceSsim(a, b), FrameMetrics.ssim(a, b), 1e-6);
  }

  /** JPEG degradation: SSIM falls as quality falls, and stays high at q90. */
  @Test
  void jpegDegradationLowersSsimMonotonically() {
    Frame f = texture(160, 120, 5);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      double previous = 1.0;
      for (int q : new int[] {90, 50, 10, 1}) {
        byte[] jpeg = codec.encode(f, EncodeOptions.ycbcr(q, org.framecodec.codec.Subsampling.S420));
        Frame decoded = codec.decode(jpeg, 0, jpeg.length, JpegMode.YCBCR, PixelFormat.BGR);
        double s = FrameMetrics.ssim(f, decoded);
        assertTrue(s < previous, "q" + q + " SSIM " + s + " not below " + previous);
        assertTrue(s > 0 && s < 1, "q" + q + " SSIM " + s);
        if (q == 90) {
          assertTrue(s > 0.9, "q90 SSIM " + s);
        }
        previous = s;
      }
      assertTrue(previous < 0.6, "q1 SSIM " + previous);
    }
  }

  @Test
  void rejectsMismatchedTinyAndPlanarFramesWithTheValues() {
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> FrameMetrics.ssim(gray(20, 20, 0), gray(21, 20, 0)));
    assertTrue(size.getMessage().contains("format and size must match"), size.getMessage());
    IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
        () -> FrameMetrics.ssim(gray(10, 30, 0), gray(10, 30, 0)));
    assertTrue(tiny.getMessage().contains("at least 11x11") && tiny.getMessage().contains("10x30"),
        tiny.getMessage());
    Frame i420 = Frame.allocate(PixelFormat.I420, 16, 16);
    IllegalArgumentException planar = assertThrows(IllegalArgumentException.class,
        () -> FrameMetrics.ssim(i420, i420));
    assertTrue(planar.getMessage().contains("I420"), planar.getMessage());
  }

  private static double bruteForceSsim(Frame a, Frame b) {
    int n = FrameMetrics.SSIM_WINDOW;
    double[][] w = new double[n][n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double di = i - n / 2;
        double dj = j - n / 2;
        w[i][j] = Math.exp(-(di * di + dj * dj) / (2 * FrameMetrics.SSIM_SIGMA * FrameMetrics.SSIM_SIGMA));
        sum += w[i][j];
      }
    }
    double c1 = Math.pow(0.01 * 255, 2);
    double c2 = Math.pow(0.03 * 255, 2);
    double total = 0;
    int count = 0;
    for (int y = 0; y + n <= a.height(); y++) {
      for (int x = 0; x + n <= a.width(); x++) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            mx += w[i][j] / sum * a.get(x + j, y + i, 0);
            my += w[i][j] / sum * b.get(x + j, y + i, 0);
          }
        }
        double vx = 0;
        double vy = 0;
        double cov = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            double dx = a.get(x + j, y + i, 0) - mx;
            double dy = b.get(x + j, y + i, 0) - my;
            vx += w[i][j] / sum * dx * dx;
            vy += w[i][j] / sum * dy * dy;
            cov += w[i][j] / sum * dx * dy;
          }
        }
        total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        count++;
      }
    }
    return total / count;
  }
}
