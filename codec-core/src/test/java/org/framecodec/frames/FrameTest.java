package org.framecodec.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameTest {

  @Test
  void wrapsWithoutCopying() {
    byte[] data = new byte[4 * 3 * 3];
    Frame f = Frame.wrap(data, PixelFormat.BGR, 4, 3);
    data[3 * 4 + 3 + 2] = 77; // row 1, pixel 1, red
    assertEquals(77, f.get(1, 1, 2));
    assertArrayEquals(new int[] {3, 4, 3}, f.shape());
    assertTrue(f.isTight());
  }

  @Test
  void rejectsStorageTooSmallWithTheSizesInTheMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Frame.wrap(new byte[100], PixelFormat.BGR, 10, 10));
    assertTrue(e.getMessage().contains("300") && e.getMessage().contains("100"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Frame.wrap(new byte[100], PixelFormat.GRAY, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> Frame.wrap(new byte[100], PixelFormat.GRAY, 10, -1));
    IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
        () -> Frame.wrap(new byte[100], 0, 5, PixelFormat.GRAY, 10, 5));
    assertTrue(stride.getMessage().contains("stride 5"), stride.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Frame.wrap(new byte[100], -1, 10, PixelFormat.GRAY, 10, 5));
  }

  @Test
  void hugeDimensionsDoNotOverflow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Frame.wrap(new byte[16], PixelFormat.BGR, 1 << 30, 1 << 30));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    IllegalArgumentException tall = assertThrows(IllegalArgumentException.class,
        () -> Frame.wrap(new byte[16], PixelFormat.BGR, 1000, 1 << 30));
    assertTrue(tall.getMessage().contains("needs"), tall.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Frame.allocate(PixelFormat.BGR, 100_000, 100_000));
  }

  @Test
  void cropSharesStorageAndKeepsTheStride() {
    Frame f = Frame.allocate(PixelFormat.BGR, 8, 6);
    Frame c = f.crop(2, 1, 3, 2);
    assertEquals(24, c.rowStride());
    assertEquals(1 * 24 + 2 * 3, c.offset());
    f.array()[c.offset()] = 9;
    assertEquals(9, c.get(0, 0, 0));
    assertEquals(3 * 3 * 2, c.toByteArray().length);
    assertThrows(IllegalArgumentException.class, () -> f.crop(6, 0, 3, 1));
  }

  @Test
  void planarLayoutsPlaceTheirPlanesAfterEachOther() {
    Frame i420 = Frame.allocate(PixelFormat.I420, 5, 3);
    assertEquals(5 * 3 + 2 * 3 * 2, i420.byteSize());
    assertEquals(15, i420.planeOffset(1));
    assertEquals(15 + 6, i420.planeOffset(2));
    assertEquals(3, i420.planeStride(1));
    Frame nv12 = Frame.allocate(PixelFormat.NV12, 5, 3);
    assertEquals(15 + 12, nv12.byteSize());
    assertEquals(6, nv12.planeStride(1));
    assertThrows(IllegalArgumentException.class, () -> nv12.planeOffset(2));
    Frame padded = Frame.wrap(new byte[8 * 4 + 4 * 2 * 2], 0, 8, PixelFormat.I420, 6, 4);
    assertEquals(32, padded.planeOffset(1));
    assertEquals(4, padded.planeStride(1));
  }

  @Test
  void directAndHeapBuffersAreWrapped() {
    ByteBuffer direct = ByteBuffer.allocateDirect(100);
    Frame d = Frame.wrap(direct, 10, 30, PixelFormat.RGB, 10, 3);
    assertTrue(d.isDirect());
    assertEquals(10, d.offset());
    ByteBuffer heap = ByteBuffer.wrap(new byte[200], 50, 100).slice();
    Frame h = Frame.wrap(heap, PixelFormat.GRAY, 10, 10);
    assertTrue(h.hasArray());
    assertEquals(50, h.offset());
    assertThrows(IllegalArgumentException.class, () -> Frame.wrap(direct, 90, 30, PixelFormat.RGB, 10, 3));
  }
}
