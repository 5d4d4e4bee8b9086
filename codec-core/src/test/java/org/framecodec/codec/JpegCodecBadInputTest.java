package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hostile and mistaken input to both backends: typed exceptions with messages that name the problem. */
class JpegCodecBadInputTest {
  private static final Frame SMALL = CorpusFrames.gradient(160, 120, 5);

  private static byte[] validJpeg() {
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      return c.encode(SMALL, EncodeOptions.cv2Yuv(80));
    }
  }

  /** Index of the SOF0 segment's length field (after FF C0). */
  private static int sofIndex(byte[] jpeg) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
        return i + 2;
      }
    }
    throw new AssertionError("no SOF0");
  }

  private static byte[] withDimensions(int width, int height) {
    byte[] jpeg = validJpeg();
    int sof = sofIndex(jpeg);
    jpeg[sof + 3] = (byte) (height >> 8);
    jpeg[sof + 4] = (byte) height;
    jpeg[sof + 5] = (byte) (width >> 8);
    jpeg[sof + 6] = (byte) width;
    return jpeg;
  }

  private static <T extends Throwable> void assertMessage(Class<T> type, String fragment,
      org.junit.jupiter.api.function.Executable call) {
    T e = assertThrows(type, call);
    assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
        "message '" + e.getMessage() + "' should mention '" + fragment + "'");
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void truncatedJpegIsCorrupt(CodecBackend backend) {
    byte[] jpeg = validJpeg();
    try (JpegCodec c = JpegCodec.open(backend)) {
      for (int cut : new int[] {jpeg.length / 2, jpeg.length - 2, 300}) {
        byte[] part = Arrays.copyOf(jpeg, cut);
        assertMessage(CorruptPayloadException.class, "JPEG",
            () -> c.decode(part, 0, part.length, JpegMode.CV2_YUV, PixelFormat.BGR));
      }
      byte[] headerOnly = Arrays.copyOf(jpeg, 20);
      assertThrows(CorruptPayloadException.class, () -> c.readHeader(headerOnly, 0, headerOnly.length));
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void nonJpegBytesAreCorrupt(CodecBackend backend) {
    try (JpegCodec c = JpegCodec.open(backend)) {
      byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
      assertMessage(CorruptPayloadException.class, "SOI",
          () -> c.decode(png, 0, png.length, JpegMode.YCBCR, PixelFormat.BGR));
      assertMessage(CorruptPayloadException.class, "empty",
          () -> c.decode(new byte[0], 0, 0, JpegMode.YCBCR, PixelFormat.BGR));
      byte[] garbage = new byte[5000];
      new java.util.Random(9).nextBytes(garbage);
      garbage[0] = (byte) 0xFF;
      garbage[1] = (byte) 0xD8;
      assertThrows(CorruptPayloadException.class,
          () -> c.decode(garbage, 0, garbage.length, JpegMode.YCBCR, PixelFormat.BGR));
    }
  }

  @Test
  void turboJpegRejectsMidStreamCorruptionInsteadOfReturningAWrongFrame() {
    byte[] jpeg = validJpeg();
    // An out-of-sequence restart marker inside the entropy-coded data: libjpeg only warns.
    int at = jpeg.length * 2 / 3;
    jpeg[at] = (byte) 0xFF;
    jpeg[at + 1] = (byte) 0xD5;
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      assertMessage(CorruptPayloadException.class, "Corrupt JPEG data",
          () -> c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR));
      // The codec stays usable after a failed decode.
      byte[] ok = validJpeg();
      c.decode(ok, 0, ok.length, JpegMode.CV2_YUV, PixelFormat.BGR);
    }
  }

  /**
   * Regression (found by fuzz_decode): libjpeg-turbo 2.1.5's tjDecompressHeader3 returns on an
   * error without aborting its decompressor, so the next header read continued the broken parse
   * and reported 0x0 for a valid payload, which was then refused as corrupt. Every payload must
   * decode the same whatever came before it on the same codec.
   */
  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void aPayloadWithoutScanDataDoesNotPoisonTheNextDecode(CodecBackend backend) {
    byte[] jpeg = validJpeg();
    byte[] noScan = Arrays.copyOf(jpeg, 300); // tables and frame header, no SOS
    try (JpegCodec c = JpegCodec.open(backend)) {
      Frame expected = c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR);
      if (backend == CodecBackend.TURBOJPEG) {
        // The Java header parser of the OpenCV backend stops at the frame header and accepts it.
        assertThrows(CorruptPayloadException.class, () -> c.readHeader(noScan, 0, noScan.length));
        assertEquals(new JpegInfo(160, 120, 3, Subsampling.S420), c.readHeader(jpeg, 0, jpeg.length));
        assertThrows(CorruptPayloadException.class, () -> c.readHeader(noScan, 0, noScan.length));
        assertTrue(expected.samePixels(c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR)));
      }
      assertThrows(CorruptPayloadException.class,
          () -> c.decode(noScan, 0, noScan.length, JpegMode.CV2_YUV, PixelFormat.BGR));
      Frame again = c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR);
      assertTrue(expected.samePixels(again), "decode after a failure differs");
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void headerDeclaringTooManyPixelsFailsBeforeAllocation(CodecBackend backend) {
    byte[] huge = withDimensions(60000, 60000);
    try (JpegCodec c = JpegCodec.open(backend)) {
      assertMessage(PayloadTooLargeException.class, "60000x60000",
          () -> c.decode(huge, 0, huge.length, JpegMode.CV2_YUV, PixelFormat.BGR));
    }
    Limits tight = Limits.builder().maxPixels(100 * 100).build();
    byte[] jpeg = validJpeg();
    try (JpegCodec c = JpegCodec.open(backend, tight)) {
      assertMessage(PayloadTooLargeException.class, "160x120",
          () -> c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR));
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void zeroDimensionsAreRejected(CodecBackend backend) {
    byte[] zero = withDimensions(0, 120);
    try (JpegCodec c = JpegCodec.open(backend)) {
      assertThrows(FrameFormatException.class,
          () -> c.decode(zero, 0, zero.length, JpegMode.CV2_YUV, PixelFormat.BGR));
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void payloadOverTheByteLimitIsTooLarge(CodecBackend backend) {
    byte[] jpeg = validJpeg();
    Limits tight = Limits.builder().maxPayloadBytes(jpeg.length - 1).build();
    try (JpegCodec c = JpegCodec.open(backend, tight)) {
      assertMessage(PayloadTooLargeException.class, String.valueOf(jpeg.length),
          () -> c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR));
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void wrongBufferSizesAreIllegalArguments(CodecBackend backend) {
    try (JpegCodec c = JpegCodec.open(backend)) {
      EncodeOptions o = EncodeOptions.cv2Yuv(80);
      byte[] small = new byte[1000];
      assertMessage(IllegalArgumentException.class, "maxEncodedSize",
          () -> c.encode(SMALL, o, small, 0));
      byte[] enough = new byte[c.maxEncodedSize(160, 120, o)];
      assertMessage(IllegalArgumentException.class, "offset", () -> c.encode(SMALL, o, enough, -1));
      assertMessage(IllegalArgumentException.class, "room", () -> c.encode(SMALL, o, enough, 10));
      byte[] jpeg = c.encode(SMALL, o);
      assertThrows(IndexOutOfBoundsException.class,
          () -> c.decode(jpeg, 10, jpeg.length, JpegMode.CV2_YUV, PixelFormat.BGR));
      Frame wrongSize = Frame.allocate(PixelFormat.BGR, 100, 120);
      assertMessage(FrameFormatException.class, "160x120",
          () -> c.decodeInto(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, wrongSize));
      Frame readOnly = Frame.wrap(java.nio.ByteBuffer.allocate(160 * 120 * 3).asReadOnlyBuffer(),
          PixelFormat.BGR, 160, 120);
      assertMessage(IllegalArgumentException.class, "read-only",
          () -> c.decodeInto(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, readOnly));
    }
  }

  @Test
  void qualityOutsideOneToHundredNamesTheValue() {
    assertMessage(IllegalArgumentException.class, "0", () -> EncodeOptions.cv2Yuv(0));
    assertMessage(IllegalArgumentException.class, "101", () -> EncodeOptions.ycbcr(101, Subsampling.S444));
    assertMessage(IllegalArgumentException.class, "-5", () -> EncodeOptions.gray(-5));
  }

  @Test
  void unsupportedFormatAndModeCombinationsAreRefusedWithAHint() {
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      Frame gray = Frame.allocate(PixelFormat.GRAY, 16, 16);
      assertMessage(IllegalArgumentException.class, "gray mode", () -> c.encode(gray, EncodeOptions.cv2Yuv(80)));
      Frame i420 = Frame.allocate(PixelFormat.I420, 16, 16);
      assertMessage(IllegalArgumentException.class, "4:2:0",
          () -> c.encode(i420, EncodeOptions.ycbcr(80, Subsampling.S444)));
      byte[] jpeg = c.encode(SMALL, EncodeOptions.cv2Yuv(80));
      assertMessage(IllegalArgumentException.class, "cv2-yuv",
          () -> c.decode(jpeg, 0, jpeg.length, JpegMode.CV2_YUV, PixelFormat.GRAY));
      byte[] s444 = c.encode(SMALL, EncodeOptions.ycbcr(80, Subsampling.S444));
      assertThrows(org.framecodec.UnsupportedPayloadException.class,
          () -> c.decode(s444, 0, s444.length, JpegMode.YCBCR, PixelFormat.I420));
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void closedCodecSaysSoAndCloseIsIdempotent(CodecBackend backend) {
    JpegCodec c = JpegCodec.open(backend);
    c.close();
    c.close();
    assertMessage(IllegalStateException.class, "closed", () -> c.encode(SMALL, EncodeOptions.cv2Yuv(80)));
  }
}
