package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.framecodec.CorruptPayloadException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;

class JpegHeadersTest {

  private static byte[] jpeg(PixelFormat format, int w, int h, EncodeOptions options) {
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      return codec.encode(Frame.allocate(format, w, h), options);
    }
  }

  @Test
  void readsSizeComponentsAndSubsamplingWithoutACodec() {
    byte[] colour = jpeg(PixelFormat.BGR, 33, 17, EncodeOptions.ycbcr(90, Subsampling.S422));
    JpegInfo info = JpegHeaders.read(colour, 0, colour.length);
    assertEquals(new JpegInfo(33, 17, 3, Subsampling.S422), info);
    byte[] gray = jpeg(PixelFormat.GRAY, 8, 9, EncodeOptions.gray(50));
    byte[] shifted = new byte[gray.length + 3];
    System.arraycopy(gray, 0, shifted, 3, gray.length);
    assertEquals(new JpegInfo(8, 9, 1, null), JpegHeaders.read(shifted, 3, gray.length));
  }

  @Test
  void bufferVariantLeavesThePositionAlone() {
    byte[] colour = jpeg(PixelFormat.RGB, 16, 16, EncodeOptions.cv2Yuv(80));
    ByteBuffer direct = ByteBuffer.allocateDirect(colour.length + 2);
    direct.position(2);
    direct.put(colour).position(2);
    assertEquals(16, JpegHeaders.read(direct).width());
    assertEquals(2, direct.position());
  }

  @Test
  void notAJpegOrCutBeforeItsFrameHeaderIsCorrupt() {
    var e = assertThrows(CorruptPayloadException.class,
        () -> JpegHeaders.read(new byte[] {1, 2, 3, 4}, 0, 4));
    assertTrue(e.getMessage().startsWith("not a JPEG"), e.getMessage());
    byte[] colour = jpeg(PixelFormat.BGR, 8, 8, EncodeOptions.cv2Yuv(80));
    byte[] cut = Arrays.copyOf(colour, 30);
    assertThrows(CorruptPayloadException.class, () -> JpegHeaders.read(cut, 0, cut.length));
    assertThrows(IndexOutOfBoundsException.class, () -> JpegHeaders.read(colour, 5, colour.length));
  }
}
