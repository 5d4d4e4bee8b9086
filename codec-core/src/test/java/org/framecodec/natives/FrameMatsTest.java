package org.framecodec.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;

class FrameMatsTest {
  /** A 5x3 BGR frame inside a wider image, so the row stride is not the row's width. */
  static byte[] pixels() {
    byte[] px = new byte[7 * 3 * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    return px;
  }

  static void assertSamePixels(Frame f, Mat m) {
    assertEquals(f.width(), m.cols());
    assertEquals(f.height(), m.rows());
    assertEquals(f.rowStride(), m.step());
    byte[] expected = f.toByteArray();
    BytePointer data = m.data();
    int rowBytes = f.width() * f.format().channels();
    for (int y = 0; y < f.height(); y++) {
      for (int x = 0; x < rowBytes; x++) {
        assertEquals(expected[y * rowBytes + x], data.get((long) y * m.step() + x), "row " + y + " byte " + x);
      }
    }
  }

  @Test
  void anArrayFrameIsCopiedIntoTheScratchWithItsStride() {
    Frame f = Frame.wrap(pixels(), 3 * 3 + 3, 7 * 3, PixelFormat.BGR, 5, 3);
    try (BytePointer scratch = new BytePointer(f.byteSize())) {
      Mat m = FrameMats.wrap(f, scratch);
      assertEquals(scratch.address(), m.data().address());
      assertSamePixels(f, m);
    }
  }

  @Test
  void aDirectFrameIsWrappedInPlace() {
    ByteBuffer direct = ByteBuffer.allocateDirect(pixels().length).put(pixels());
    Frame f = Frame.wrap(direct, 3, 7 * 3, PixelFormat.BGR, 5, 3);
    try (BytePointer scratch = new BytePointer(0L)) {
      Mat m = FrameMats.wrap(f, scratch);
      assertEquals(new BytePointer(direct).address() + 3, m.data().address());
      assertSamePixels(f, m);
    }
  }

  @Test
  void aReadOnlyHeapFrameIsCopiedThroughAView() {
    Frame f = Frame.wrap(ByteBuffer.wrap(pixels()).asReadOnlyBuffer(), 0, 7, PixelFormat.GRAY, 6, 4);
    try (BytePointer scratch = new BytePointer(f.byteSize())) {
      assertSamePixels(f, FrameMats.wrap(f, scratch));
    }
  }

  @Test
  void aScratchSmallerThanTheFrameIsRefused() {
    Frame f = Frame.wrap(pixels(), PixelFormat.GRAY, 10, 8);
    try (BytePointer scratch = new BytePointer(79L)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameMats.wrap(f, scratch));
      assertEquals("scratch of 79 bytes is smaller than the 80-byte frame", e.getMessage());
    }
  }
}
