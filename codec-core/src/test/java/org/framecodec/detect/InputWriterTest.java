package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The input tensor, value by value, for small frames whose expected floats are written out; and
 * the resampling, pixel by pixel, against OpenCV's {@code resize}, which the detector used before
 * the native kernel and which the models' exporters use.
 */
class InputWriterTest {
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

  static FloatBuffer tensor(int n, InputSpec spec) {
    return ByteBuffer.allocateDirect(4 * n * spec.floatsPerImage()).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  static float[] floats(FloatBuffer t) {
    float[] out = new float[t.capacity()];
    t.get(0, out);
    return out;
  }

  static Letterbox put(InputSpec spec, FloatBuffer tensor, int slot, Frame f) {
    return new InputWriter(spec).write(f, f.width(), f.height(), tensor, slot);
  }

  @Test
  void nhwcRgbUniform() {
    InputSpec spec = InputSpec.builder(2, 2).layout(TensorLayout.NHWC).channelOrder(PixelFormat.RGB)
        .normalize(127.5f, 1f / 127.5f).resize(ResizeMode.STRETCH).build();
    FloatBuffer buf = tensor(1, spec);
    assertEquals(new Letterbox(2, 2, 0, 0, 1.0, 1.0), put(spec, buf, 0, bgr2x2()));
    float[] t = floats(buf);
    for (int k = 0; k < 4; k++) {
      assertEquals((30 + k - 127.5f) / 127.5f, t[3 * k], 1e-6f, "R of pixel " + k);
      assertEquals((20 + k - 127.5f) / 127.5f, t[3 * k + 1], 1e-6f, "G of pixel " + k);
      assertEquals((10 + k - 127.5f) / 127.5f, t[3 * k + 2], 1e-6f, "B of pixel " + k);
    }
  }

  @Test
  void nchwBgrPerChannel() {
    InputSpec spec = InputSpec.builder(2, 2).layout(TensorLayout.NCHW).channelOrder(PixelFormat.BGR)
        .normalize(new float[] {1, 2, 3}, new float[] {0.5f, 0.25f, 2f}).resize(ResizeMode.STRETCH).build();
    FloatBuffer buf = tensor(2, spec);
    put(spec, buf, 1, bgr2x2());
    float[] t = floats(buf);
    int base = spec.floatsPerImage(); // slot 1
    for (int k = 0; k < 4; k++) {
      assertEquals((10 + k - 1) * 0.5f, t[base + k], 1e-6f, "B plane");
      assertEquals((20 + k - 2) * 0.25f, t[base + 4 + k], 1e-6f, "G plane");
      assertEquals((30 + k - 3) * 2f, t[base + 8 + k], 1e-6f, "R plane");
    }
    for (int i = 0; i < base; i++) {
      assertEquals(0f, t[i], "slot 0 is not touched");
    }
  }

  @Test
  void nhwcPerChannelAndGrayFrames() {
    InputSpec spec = InputSpec.builder(2, 2).layout(TensorLayout.NHWC).channelOrder(PixelFormat.RGB)
        .normalize(new float[] {0, 10, 20}, new float[] {1, 2, 3}).resize(ResizeMode.STRETCH).build();
    Frame gray = Frame.wrap(new byte[] {50, 60, 70, 80}, PixelFormat.GRAY, 2, 2);
    FloatBuffer buf = tensor(1, spec);
    put(spec, buf, 0, gray);
    float[] t = floats(buf);
    for (int k = 0; k < 4; k++) {
      int v = 50 + 10 * k;
      assertArrayEquals(new float[] {v, (v - 10) * 2f, (v - 20) * 3f},
          new float[] {t[3 * k], t[3 * k + 1], t[3 * k + 2]}, 1e-5f, "pixel " + k);
    }
  }

  @Test
  void letterboxPadsAboveAndBelow() {
    // A 4x2 frame in a 4x4 input: no scaling, one row of padding above and one below.
    InputSpec spec = InputSpec.builder(4, 4).layout(TensorLayout.NCHW).channelOrder(PixelFormat.BGR)
        .normalize(0f, 1f).padValue(114).build();
    byte[] px = new byte[4 * 2 * 3];
    Arrays.fill(px, (byte) 200);
    FloatBuffer buf = tensor(1, spec);
    assertEquals(new Letterbox(4, 2, 0, 1, 1.0, 1.0), put(spec, buf, 0, Frame.wrap(px, PixelFormat.BGR, 4, 2)));
    float[] t = floats(buf);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          float want = y == 0 || y == 3 ? 114f : 200f;
          assertEquals(want, t[c * 16 + y * 4 + x], "c" + c + " y" + y + " x" + x);
        }
      }
    }
  }

  /**
   * Resampling equals OpenCV's {@code resize} within one grey level (OpenCV rounds to 8 bits with
   * fixed-point weights; the kernel keeps floats), for shrinking, enlarging and odd ratios.
   */
  @ParameterizedTest
  @CsvSource({"LINEAR, 640, 360, 128, 72", "LINEAR, 97, 61, 128, 80", "LINEAR, 240, 135, 128, 72",
      "AREA, 640, 360, 128, 72", "AREA, 1000, 700, 128, 90", "AREA, 240, 135, 128, 72"})
  void resamplingMatchesOpenCvResize(Interpolation interpolation, int w, int h, int rw, int rh) {
    Frame f = Frame.allocate(PixelFormat.BGR, w, h);
    Random rnd = new Random(w * 31L + h);
    byte[] px = f.array();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          // Smooth with some noise, as a photo: pure noise would test rounding, not sampling.
          px[(y * w + x) * 3 + c] = (byte) Math.min(255, (x * 255 / w + y * 3 + c * 40 + rnd.nextInt(8)) % 256);
        }
      }
    }
    InputSpec spec = InputSpec.builder(rw, rh).layout(TensorLayout.NHWC).channelOrder(PixelFormat.BGR)
        .normalize(0f, 1f).resize(ResizeMode.STRETCH).interpolation(interpolation).build();
    FloatBuffer buf = tensor(1, spec);
    put(spec, buf, 0, f);
    float[] t = floats(buf);
    Mat src = new Mat(h, w, opencv_core.CV_8UC3, new BytePointer(px));
    Mat dst = new Mat();
    opencv_imgproc.resize(src, dst, new Size(rw, rh), 0, 0,
        interpolation == Interpolation.AREA ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR);
    byte[] ref = new byte[rw * rh * 3];
    dst.data().get(ref);
    float worst = 0;
    for (int i = 0; i < ref.length; i++) {
      worst = Math.max(worst, Math.abs((ref[i] & 0xFF) - t[i]));
    }
    assertTrue(worst <= 1.0f, "largest difference to OpenCV " + worst + " grey levels");
  }

  @Test
  void aDecodedThumbnailLandsWhereTheFullFrameWould() {
    // A frame written at 1/8 of its size lands in the same place as the full frame: the
    // placement is computed from the full size.
    InputSpec spec = InputSpec.blazeFace(128);
    Frame small = Frame.allocate(PixelFormat.RGB, 240, 135);
    Arrays.fill(small.array(), (byte) 128);
    FloatBuffer buf = tensor(1, spec);
    Letterbox lb = new InputWriter(spec).write(small, 1920, 1080, buf, 0);
    assertEquals(Letterbox.of(1920, 1080, spec), lb);
    float[] t = floats(buf);
    assertEquals(-1f, t[0], 1e-6f, "padding row: 0 before normalisation");
    assertEquals((128 - 127.5f) / 127.5f, t[(64 * 128 + 64) * 3], 1e-6f, "inside the image");
  }

  @Test
  void badSlotsAndTensorsAreRefusedNamingThem() {
    InputSpec spec = InputSpec.blazeFace(128);
    InputWriter writer = new InputWriter(spec);
    Frame f = Frame.allocate(PixelFormat.BGR, 8, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> writer.write(f, 8, 8, tensor(2, spec), 2));
    assertEquals("slot 2 of 49152 floats lies outside a tensor of 98304", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> writer.write(f, 8, 8, FloatBuffer.allocate(spec.floatsPerImage()), 0));
    assertEquals("the tensor must be a direct FloatBuffer", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> writer.write(Frame.allocate(PixelFormat.I420, 8, 8), 8, 8, tensor(1, spec), 0));
    assertEquals("cannot write a planar I420 image into a tensor", e.getMessage());
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
