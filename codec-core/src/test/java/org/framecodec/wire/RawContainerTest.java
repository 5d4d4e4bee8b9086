package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RawContainerTest {
  private final RawContainer raw = new RawContainer();

  private static final EncodedFrame FULL = EncodedFrame.builder()
      .payload(new byte[] {7, 1, 2, 3, 4, 5, 7}, 1, 5).size(1920, 1080).channels(3)
      .mode(JpegMode.CV2_YUV).quality(80).timestampMicros(-1_718_000_000_123_456L)
      .streamId("caméra-7").build();
  private static final EncodedFrame BARE = EncodedFrame.builder().payload(new byte[] {42})
      .size(3, 5).channels(1).mode(JpegMode.GRAY).build();

  /** The container of {@link #BARE}; its fields sit at fixed offsets. */
  private byte[] bare() {
    return raw.toBytes(BARE);
  }

  @Test
  void roundTripsSingleFramesAndBatchesWithEveryField() {
    for (List<EncodedFrame> frames : List.of(List.of(FULL), List.of(BARE),
        List.of(FULL, BARE, FULL.toBuilder().mode(JpegMode.YCBCR).noQuality().build()), List.<EncodedFrame>of())) {
      byte[] bytes = raw.toBytes(frames);
      assertEquals(raw.encodedSize(frames), bytes.length);
      assertEquals(frames, raw.read(bytes));
      assertEquals(frames, raw.read(new ByteArrayInputStream(bytes)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      raw.write(frames, out);
      assertArrayEquals(bytes, out.toByteArray(), "stream and array writers agree");
    }
  }

  @Test
  void writesIntoACallerBufferAtAnOffsetAndReadsFromARange() {
    List<EncodedFrame> frames = List.of(FULL, BARE);
    int size = raw.encodedSize(frames);
    assertEquals(10 + (25 + "caméra-7".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 5)
        + (25 + 1) + 4, size);
    byte[] dst = new byte[size + 9];
    assertEquals(size, raw.write(frames, dst, 5));
    List<EncodedFrame> read = raw.read(dst, 5, size);
    assertEquals(frames, read);
    assertSame(dst, read.get(0).payloadArray(), "frames view the input array");
    var e = assertThrows(IllegalArgumentException.class, () -> raw.write(frames, new byte[size], 1));
    assertEquals("a container of 2 frames needs " + size + " bytes, but the destination of " + size
        + " bytes has " + (size - 1) + " from offset 1", e.getMessage());
  }

  @Test
  void layoutIsBigEndianWithACrc32cTrailer() {
    byte[] b = bare();
    ByteBuffer bb = ByteBuffer.wrap(b);
    assertEquals(0x89464352, bb.getInt(0));
    assertEquals(1, b[4]);
    assertEquals(0, b[5]);
    assertEquals(1, bb.getInt(6));
    assertEquals(3, bb.getInt(10));
    assertEquals(5, bb.getInt(14));
    assertEquals(1, b[18]);
    assertEquals(3, b[19]); // gray
    assertEquals(0, b[20]); // no quality
    assertEquals(0, b[21]); // no timestamp
    assertEquals(0L, bb.getLong(22));
    assertEquals(0, b[30]); // no stream id
    assertEquals(1, bb.getInt(31));
    assertEquals(42, b[35]);
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    assertEquals((int) crc.getValue(), bb.getInt(b.length - 4));
    assertEquals(40, b.length);
  }

  // ------------------------------------------------------------ damaged input

  @Test
  void badMagicOrEmptyInputIsCorrupt() {
    byte[] b = bare();
    b[0] = 'P';
    assertCorrupt("not a raw frame container: it starts with 50 46 43 52, expected 89 46 43 52",
        () -> raw.read(b));
    assertCorrupt("not a raw frame container: it starts with nothing (empty input), expected 89 46 43 52",
        () -> raw.read(new byte[0]));
  }

  @Test
  void unknownVersionOrFlagsAreUnsupportedBeforeTheCrcIsChecked() {
    byte[] v2 = bare();
    v2[4] = 2;
    var e = assertThrows(UnsupportedPayloadException.class, () -> raw.read(v2));
    assertEquals("raw container version 2 is not supported; this reader knows version 1", e.getMessage());
    byte[] flags = bare();
    flags[5] = 4;
    var f = assertThrows(UnsupportedPayloadException.class, () -> raw.read(flags));
    assertEquals("raw container flags 0x04 are not supported; version 1 defines none", f.getMessage());
  }

  @Test
  void everyTruncationIsCorrupt() {
    byte[] b = raw.toBytes(List.of(FULL, BARE));
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      assertThrows(CorruptPayloadException.class, () -> raw.read(cut), "cut to " + n);
    }
    var e = assertThrows(CorruptPayloadException.class, () -> raw.read(Arrays.copyOf(b, 12)));
    assertEquals("raw container is truncated: 12 bytes, but its header and CRC alone take 14", e.getMessage());
  }

  @Test
  void badCrcIsCorrupt() {
    byte[] b = bare();
    b[35] ^= 1; // a payload bit
    var e = assertThrows(CorruptPayloadException.class, () -> raw.read(b));
    assertTrue(e.getMessage().startsWith("raw container CRC-32C mismatch: stored "), e.getMessage());
    byte[] c = bare();
    c[c.length - 1] ^= (byte) 0x80;
    assertThrows(CorruptPayloadException.class, () -> raw.read(c));
  }

  @Test
  void lengthsThatLieAreCorruptEvenWithAValidCrc() {
    byte[] payloadLonger = bare();
    ByteBuffer.wrap(payloadLonger).putInt(31, 2);
    assertCorrupt("raw container frame 0 declares a payload of 2 bytes, but only 1 remain before the CRC",
        () -> raw.read(withCrc(payloadLonger)));

    byte[] payloadHuge = bare();
    ByteBuffer.wrap(payloadHuge).putInt(31, 0x7FFF_FFF0);
    assertThrows(PayloadTooLargeException.class, () -> raw.read(withCrc(payloadHuge)));

    byte[] streamLonger = bare();
    streamLonger[30] = 9;
    assertCorrupt("raw container frame 0 is truncated in its stream id of 9 bytes and payload length:"
        + " needs 13 bytes, 5 remain before the CRC", () -> raw.read(withCrc(streamLonger)));

    byte[] moreFrames = bare();
    ByteBuffer.wrap(moreFrames).putInt(6, 2);
    assertCorrupt("raw container declares 2 frames, but the 26 bytes before the CRC cannot hold them",
        () -> raw.read(withCrc(moreFrames)));

    byte[] fewerFrames = raw.toBytes(List.of(BARE, BARE));
    ByteBuffer.wrap(fewerFrames).putInt(6, 1);
    assertCorrupt("raw container has 26 unexpected bytes between its last frame and the CRC",
        () -> raw.read(withCrc(fewerFrames)));

    byte[] trailing = Arrays.copyOf(bare(), bare().length + 3);
    assertThrows(CorruptPayloadException.class, () -> raw.read(withCrc(trailing)));
  }

  @Test
  void invalidFieldValuesAreTyped() {
    byte[] zeroWidth = bare();
    ByteBuffer.wrap(zeroWidth).putInt(10, 0);
    assertCorrupt("raw container frame 0 declares a size of 0x5; both must be positive 31-bit values",
        () -> raw.read(withCrc(zeroWidth)));
    byte[] hugeWidth = bare();
    ByteBuffer.wrap(hugeWidth).putInt(10, 0x8000_0000);
    assertThrows(CorruptPayloadException.class, () -> raw.read(withCrc(hugeWidth)));

    byte[] channels = bare();
    channels[18] = 2;
    assertUnsupported("raw container frame 0 has 2 channels; 1 or 3 are supported", channels);
    byte[] mode = bare();
    mode[19] = 9;
    assertUnsupported("raw container frame 0 has mode code 9; known codes are 1 (cv2-yuv), 2 (ycbcr) and 3 (gray)", mode);
    byte[] flags = bare();
    flags[21] = 8;
    assertUnsupported("raw container frame 0 has flags 0x08; version 1 defines only 0x01 (timestamp"
        + " present) and 0x02 (frame number present)", flags);

    byte[] quality = bare();
    quality[20] = (byte) 101;
    assertCorrupt("raw container frame 0 declares quality 101; it must be 0..100", () -> raw.read(withCrc(quality)));
    byte[] empty = bare();
    ByteBuffer.wrap(empty).putInt(31, 0);
    assertCorrupt("raw container frame 0 has an empty payload", () -> raw.read(withCrc(empty)));

    EncodedFrame named = BARE.toBuilder().streamId("ab").build();
    byte[] utf8 = raw.toBytes(named);
    utf8[31] = (byte) 0xC3; // a lead byte with no continuation
    utf8[32] = 'b';
    assertCorrupt("raw container frame 0 has a stream id that is not valid UTF-8", () -> raw.read(withCrc(utf8)));
  }

  // ------------------------------------------------------------ limits

  @Test
  void declaredCountsAndSizesOverTheLimitsAreRefusedBeforeAllocating() {
    byte[] count = bare();
    ByteBuffer.wrap(count).putInt(6, -1); // 4,294,967,295 frames
    var e = assertThrows(PayloadTooLargeException.class, () -> raw.read(withCrc(count)));
    assertEquals("batch of 4294967295 frames exceeds the limit of 1024", e.getMessage());

    Limits small = Limits.builder().maxPayloadBytes(4).maxPixels(100).maxFramesPerBatch(1)
        .maxDocumentBytes(70).build();
    RawContainer strict = new RawContainer(small);
    byte[] fivePayload = raw.toBytes(FULL.toBuilder().size(10, 10).streamId(null).build());
    assertEquals("payload of 5 bytes exceeds the limit of 4",
        assertThrows(PayloadTooLargeException.class, () -> strict.read(fivePayload)).getMessage());
    byte[] pixels = raw.toBytes(BARE.toBuilder().size(11, 10).build());
    assertThrows(PayloadTooLargeException.class, () -> strict.read(pixels));
    byte[] two = raw.toBytes(List.of(BARE, BARE));
    assertEquals("batch of 2 frames exceeds the limit of 1",
        assertThrows(PayloadTooLargeException.class, () -> strict.read(two)).getMessage());
    byte[] doc = raw.toBytes(BARE.toBuilder().streamId("x".repeat(40)).build());
    assertEquals("document of 80 bytes exceeds the limit of 70",
        assertThrows(PayloadTooLargeException.class, () -> strict.read(doc)).getMessage());
    assertThrows(PayloadTooLargeException.class, () -> strict.read(new ByteArrayInputStream(doc)));
    assertEquals(List.of(BARE), strict.read(bare()));
  }

  // ------------------------------------------------------------ helpers

  /** Recomputes the CRC so a test reaches the check it means to test. */
  private static byte[] withCrc(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    return b;
  }

  private static void assertCorrupt(String message, Executable read) {
    var e = assertThrows(CorruptPayloadException.class, read);
    assertEquals(message, e.getMessage());
  }

  private void assertUnsupported(String message, byte[] container) {
    var e = assertThrows(UnsupportedPayloadException.class, () -> raw.read(withCrc(container)));
    assertEquals(message, e.getMessage());
    assertTrue(e instanceof FrameFormatException);
  }

  @Test
  void aFrameNumberTravelsAfterTheStreamIdUnderFlagBit1() {
    EncodedFrame numbered = BARE.toBuilder().frameNumber(0x0102030405060708L).build();
    byte[] b = raw.toBytes(numbered);
    assertEquals(bare().length + 8, b.length);
    assertEquals(2, b[21], "flag bit 1, no timestamp");
    ByteBuffer bb = ByteBuffer.wrap(b);
    assertEquals(0x0102030405060708L, bb.getLong(31), "after the (empty) stream id");
    assertEquals(1, bb.getInt(39), "then the payload length");
    assertEquals(List.of(numbered), raw.read(b));
    List<EncodedFrame> mixed = List.of(FULL.toBuilder().frameNumber(7).build(), BARE, numbered);
    assertEquals(mixed, raw.read(raw.toBytes(mixed)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    raw.write(mixed, out);
    assertArrayEquals(raw.toBytes(mixed), out.toByteArray());

    byte[] negative = b.clone();
    negative[31] = (byte) 0x80;
    assertCorrupt("raw container frame 0 has frame number 9223938302607230728; it must be below 2^63",
        () -> raw.read(withCrc(negative)));
    byte[] cut = Arrays.copyOf(b, 10 + 25 + 4);
    assertCorrupt("raw container frame 0 is truncated in its stream id of 0 bytes, frame number and"
        + " payload length: needs 12 bytes, 4 remain before the CRC", () -> raw.read(withCrc(cut)));
    byte[] unknown = b.clone();
    unknown[21] = 4;
    assertUnsupported("raw container frame 0 has flags 0x04; version 1 defines only 0x01 (timestamp"
        + " present) and 0x02 (frame number present)", unknown);
  }

  @Test
  void aTimestampFieldWithoutItsFlagIsCorruptSoEachContainerHasOneSpelling() {
    // Found by RawContainerFuzzTest: the reader used to ignore the field, so two different
    // containers read as the same frames.
    EncodedFrame f = EncodedFrame.of(new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, 4, 4, 3, JpegMode.CV2_YUV, 80);
    byte[] c = new RawContainer().toBytes(f);
    java.nio.ByteBuffer.wrap(c).putLong(10 + 12, 42L);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(c, 0, c.length - 4);
    java.nio.ByteBuffer.wrap(c).putInt(c.length - 4, (int) crc.getValue());
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class, () -> new RawContainer().read(c));
    assertEquals("raw container frame 0 has no timestamp flag but a timestamp field of 42; it must be 0 when absent",
        e.getMessage());
  }
}
