package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a codec does when something fails part-way: each failure is a typed exception, and the
 * codec stays usable, giving afterwards exactly what a fresh codec gives.
 */
class CodecFailureBehaviourTest {
  private static final Frame FRAME = CorpusFrames.gradient(96, 64, 4);
  private static final EncodeOptions OPTS = EncodeOptions.cv2Yuv(80);

  private static byte[] payload() {
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      return c.encode(FRAME, OPTS);
    }
  }

  /**
   * Damage that passes the header checks and makes libjpeg fail once decompression has begun,
   * after the output frame was handed over: a scan that names Huffman tables the file never
   * defined (an error when the scan starts), and a payload cut inside its scan.
   */
  private static byte[][] midDecodeFailures(byte[] jpeg) {
    byte[] undefinedTable = jpeg.clone();
    int sos = indexOf(undefinedTable, 0xDA);
    undefinedTable[sos + 6] = 0x33; // first component: DC and AC table 3
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 3 / 4);
    return new byte[][] {undefinedTable, truncated};
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void aJpegLibraryErrorMidDecodeIsCorruptAndTheCodecDecodesTheNextPayloadExactly(CodecBackend backend) {
    byte[] jpeg = payload();
    Frame expected;
    try (JpegCodec fresh = JpegCodec.open(backend)) {
      expected = fresh.decode(jpeg, JpegMode.CV2_YUV);
    }
    try (JpegCodec c = JpegCodec.open(backend)) {
      for (byte[] bad : midDecodeFailures(jpeg)) {
        Frame dst = Frame.allocate(PixelFormat.BGR, 96, 64);
        CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
            () -> c.decodeInto(bad, 0, bad.length, JpegMode.CV2_YUV, dst));
        assertTrue(e.getMessage().startsWith("corrupt JPEG (" + bad.length + " bytes)"), e.getMessage());
        Frame again = Frame.allocate(PixelFormat.BGR, 96, 64);
        c.decodeInto(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, again);
        assertTrue(expected.samePixels(again), "decode after a failure differs from a fresh codec's");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void aFullOutputBufferIsRefusedBeforeAnythingIsWrittenAndTheCodecGoesOn(CodecBackend backend) {
    try (JpegCodec c = JpegCodec.open(backend)) {
      int max = c.maxEncodedSize(96, 64, OPTS);
      byte[] tooSmall = new byte[max - 1];
      Arrays.fill(tooSmall, (byte) 0x5A);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> c.encode(FRAME, OPTS, tooSmall, 0));
      assertTrue(e.getMessage().contains((max - 1) + " bytes of room"), e.getMessage());
      byte[] untouched = new byte[max - 1];
      Arrays.fill(untouched, (byte) 0x5A);
      assertArrayEquals(untouched, tooSmall, "a refused encode wrote into the buffer");

      ByteBuffer direct = ByteBuffer.allocateDirect(max + 10);
      direct.position(11);
      assertThrows(IllegalArgumentException.class, () -> c.encode(FRAME, OPTS, direct));
      assertEquals(11, direct.position(), "a refused encode moved the buffer's position");

      Frame wrongSize = Frame.allocate(PixelFormat.BGR, 95, 64);
      byte[] jpeg = c.encode(FRAME, OPTS);
      assertThrows(org.framecodec.FrameFormatException.class,
          () -> c.decodeInto(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, wrongSize));

      direct.clear();
      int n = c.encode(FRAME, OPTS, direct);
      assertEquals(n, direct.position());
      byte[] out = new byte[n];
      direct.flip().get(out);
      assertArrayEquals(jpeg, out, "encode after refused calls differs");
    }
  }

  @Test
  void anInterruptedThreadStillGetsItsDecodeAndKeepsItsInterruptFlag() {
    // Native calls do not poll for interrupts; the codec neither swallows nor clears the flag.
    byte[] jpeg = payload();
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      Thread.currentThread().interrupt();
      Frame f = c.decode(jpeg, JpegMode.CV2_YUV);
      assertTrue(Thread.interrupted(), "the interrupt flag was cleared");
      assertEquals(96, f.width());
    } finally {
      Thread.interrupted();
    }
  }

  private static int indexOf(byte[] jpeg, int marker) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker 0x" + Integer.toHexString(marker));
  }
}
