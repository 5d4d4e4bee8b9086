package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;

/** The input tensor, value by value, for small frames whose expected floats are written out. */
class PreprocessorTest {
  /** A 2x2 BGR frame: pixel (x, y) has B = 10 + k, G = 20 + k, R = 30 + k with k = 2y + x. */
  static Frame bgr2x2() {
    byte[] px = new byte[12];
    for (int k = 0; k < 4; k++) {
      px[3 * k] = (byte) (10 + k);
      px[3 * k + 1] = (byte) (20 + k);
      px[3 * k + 2] = (byte) (30 + k);
    }
    return Frame.wrap(px, PixelFormat.BGR, 2, 2);
  }

  static float[] tensor(Preprocessor pre, int n, InputSpec spec) {
    Mat m = pre.batch(n);
    float[] out = new float[n * spec.floatsPerImage()];
    new FloatPointer(m.data()).get(out);
    return out;
  }

  @Test
  void nhwcRgbUniform() {
    InputSpec spec = InputSpec.builder(2, 2).layout(TensorLayout.NHWC).channelOrder(PixelFormat.RGB)
        .normalize(127.5f, 1f / 127.5f).resize(ResizeMode.STRETCH).build();
    try (Preprocessor pre = new Preprocessor(spec)) {
      pre.reserve(1);
      assertEquals(new Letterbox(2, 2, 0, 0, 1.0, 1.0), pre.put(0, bgr2x2()));
      float[] t = tensor(pre, 1, spec);
      for (int k = 0; k < 4; k++) {
        assertEquals((30 + k - 127.5f) / 127.5f, t[3 * k], 1e-6f, "R of pixel " + k);
        assertEquals((20 + k - 127.5f) / 127.5f, t[3 * k + 1], 1e-6f, "G of pixel " + k);
        assertEquals((10 + k - 127.5f) / 127.5f, t[3 * k + 2], 1e-6f, "B of pixel " + k);
      }
    }
  }

  @Test
  void nchwBgrPerChannel() {
    InputSpec spec = InputSpec.builder(2, 2).layout(TensorLayout.NCHW).channelOrder(PixelFormat.BGR)
        .normalize(new float[] {1, 2, 3}, new float[] {0.5f, 0.25f, 2f}).resize(ResizeMode.STRETCH).build();
    try (Preprocessor pre = new Preprocessor(spec)) {
      pre.reserve(2);
      pre.put(1, bgr2x2());
      float[] t = tensor(pre, 2, spec);
      int base = spec.floatsPerImage(); // slot 1
      for (int k = 0; k < 4; k++) {
        assertEquals((10 + k - 1) * 0.5f, t[base + k], 1e-6f, "B plane");
        assertEquals((20 + k - 2) * 0.25f, t[base + 4 + k], 1e-6f, "G plane");
        assertEquals((30 + k - 3) * 2f, t[base + 8 + k], 1e-6f, "R plane");
      }
    }
  }

  @Test
  void nhwcPerChannelAndGrayFrames() {
    InputSpec spec = InputSpec.builder(2, 2).layout(TensorLayout.NHWC).channelOrder(PixelFormat.RGB)
        .normalize(new float[] {0, 10, 20}, new float[] {1, 2, 3}).resize(ResizeMode.STRETCH).build();
    Frame gray = Frame.wrap(new byte[] {50, 60, 70, 80}, PixelFormat.GRAY, 2, 2);
    try (Preprocessor pre = new Preprocessor(spec)) {
      pre.reserve(1);
      pre.put(0, gray);
      float[] t = tensor(pre, 1, spec);
      for (int k = 0; k < 4; k++) {
        int v = 50 + 10 * k;
        assertArrayEquals(new float[] {v, (v - 10) * 2f, (v - 20) * 3f},
            new float[] {t[3 * k], t[3 * k + 1], t[3 * k + 2]}, 1e-5f, "pixel " + k);
      }
    }
  }

  @Test
  void letterboxPadsAboveAndBelow() {
    // A 4x2 frame in a 4x4 input: no scaling, one row of padding above and one below.
    InputSpec spec = InputSpec.builder(4, 4).layout(TensorLayout.NCHW).channelOrder(PixelFormat.BGR)
        .normalize(0f, 1f).padValue(114).build();
    byte[] px = new byte[4 * 2 * 3];
    Arrays.fill(px, (byte) 200);
    try (Preprocessor pre = new Preprocessor(spec)) {
      pre.reserve(1);
      assertEquals(new Letterbox(4, 2, 0, 1, 1.0, 1.0), pre.put(0, Frame.wrap(px, PixelFormat.BGR, 4, 2)));
      float[] t = tensor(pre, 1, spec);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            float want = y == 0 || y == 3 ? 114f : 200f;
            assertEquals(want, t[c * 16 + y * 4 + x], "c" + c + " y" + y + " x" + x);
          }
        }
      }
    }
  }

  @Test
  void letterboxGeometry() {
    InputSpec square = InputSpec.blazeFace(128);
    assertEquals(new Letterbox(128, 128, 0, 0, 0.25, 0.25), Letterbox.of(512, 512, square));
    assertEquals(new Letterbox(128, 72, 0, 28, 128 / 1920.0, 72 / 1080.0), Letterbox.of(1920, 1080, square));
    Letterbox thin = Letterbox.of(1, 1000, square);
    assertEquals(1, thin.resizedWidth());
    assertEquals(63, thin.padX());
    InputSpec stretch = square.toBuilder().resize(ResizeMode.STRETCH).build();
    assertEquals(new Letterbox(128, 128, 0, 0, 128 / 1920.0, 128 / 1080.0), Letterbox.of(1920, 1080, stretch));
    assertEquals(960f, Letterbox.of(1920, 1080, square).toFrameX(64f), 1e-3f);
    assertEquals(540f, Letterbox.of(1920, 1080, square).toFrameY(64f), 1e-3f);
  }

  @Test
  void inputSpecRejectsBadValuesNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InputSpec.builder(0, 10).build());
    assertEquals("input size must be positive, got 0x10", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> InputSpec.builder(8, 8).channelOrder(PixelFormat.GRAY).build());
    assertEquals("channel order must be RGB or BGR, got GRAY", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> InputSpec.builder(8, 8).padValue(256).build());
    assertEquals("pad value must be 0..255, got 256", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> InputSpec.builder(8, 8).normalize(0f, 0f).build());
    assertEquals("normalisation must be finite with non-zero scale, got mean [0.0, 0.0, 0.0], scale [0.0, 0.0, 0.0]",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> InputSpec.builder(8, 8).normalize(new float[2], new float[3]));
    assertEquals("mean and scale need 3 values each, got 2 and 3", e.getMessage());
  }
}
