package org.framecodec.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.wire.RawContainer;
import org.junit.jupiter.api.Test;

/** The record value and headers of a frame: round trip, and every way a bad record is refused. */
class EncodedFrameSerdeTest {
  private static final EncodedFrame FRAME = EncodedFrame.builder()
      .payload(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9})
      .size(64, 48).mode(JpegMode.CV2_YUV).quality(80).build().inStream("cam-7", 42, 840_000);

  private final EncodedFrameSerializer serializer = new EncodedFrameSerializer();
  private final EncodedFrameDeserializer deserializer = new EncodedFrameDeserializer();

  @Test
  void aFrameRoundTripsWithEveryFieldAndTheHeadersSayWhatTheContainerSays() {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = serializer.serialize("frames", headers, FRAME);

    assertArrayEquals(new RawContainer().toBytes(FRAME), value, "the value is the frame's raw container");
    assertEquals("cam-7", FrameHeaders.text(headers, FrameHeaders.STREAM).orElseThrow());
    assertEquals(42, FrameHeaders.number(headers, FrameHeaders.FRAME).getAsLong());
    assertEquals(840_000, FrameHeaders.number(headers, FrameHeaders.PTS).getAsLong());
    assertEquals("cv2-yuv", FrameHeaders.text(headers, FrameHeaders.MODE).orElseThrow());
    assertEquals(FRAME, deserializer.deserialize("frames", headers, value));
    assertEquals(FRAME, deserializer.deserialize("frames", value));
  }

  @Test
  void serializingAgainReplacesTheHeadersInsteadOfAddingToThem() {
    RecordHeaders headers = new RecordHeaders();
    serializer.serialize("frames", headers, FRAME);
    serializer.serialize("frames", headers, FRAME.inStream("cam-8", 43, 0));

    assertEquals(1, count(headers, FrameHeaders.STREAM));
    assertEquals("cam-8", FrameHeaders.text(headers, FrameHeaders.STREAM).orElseThrow());
    EncodedFrame bare = FRAME.toBuilder().streamId(null).noFrameNumber().noTimestamp().build();
    serializer.serialize("frames", headers, bare);
    assertEquals(0, count(headers, FrameHeaders.STREAM) + count(headers, FrameHeaders.FRAME)
        + count(headers, FrameHeaders.PTS), "absent fields leave no stale header");
  }

  @Test
  void nullIsATombstoneBothWays() {
    assertNull(serializer.serialize("frames", new RecordHeaders(), null));
    assertNull(deserializer.deserialize("frames", new RecordHeaders(), (byte[]) null));
  }

  @Test
  void aFlippedBitIsCorruptNeverAWrongFrame() {
    byte[] value = serializer.serialize("frames", FRAME);
    for (int i = 0; i < value.length; i++) {
      byte[] bad = value.clone();
      bad[i] ^= 0x10;
      int at = i;
      Exception e = assertThrows(org.framecodec.FrameFormatException.class,
          () -> deserializer.deserialize("frames", bad), () -> "bit flip at byte " + at + " was accepted");
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
    }
  }

  @Test
  void garbageAndTruncationAreCorrupt() {
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
        () -> deserializer.deserialize("frames", "not a frame".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("not a raw frame container"), e.getMessage());
    byte[] value = serializer.serialize("frames", FRAME);
    byte[] cut = java.util.Arrays.copyOf(value, value.length - 5);
    assertThrows(CorruptPayloadException.class, () -> deserializer.deserialize("frames", cut));
    assertThrows(CorruptPayloadException.class, () -> deserializer.deserialize("frames", new byte[0]));
  }

  @Test
  void aContainerOfTwoFramesIsNotAFrameRecord() {
    byte[] two = new RawContainer().toBytes(List.of(FRAME, FRAME.inStream("cam-7", 43, 0)));
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
        () -> deserializer.deserialize("frames", two));
    assertTrue(e.getMessage().contains("holds 2"), e.getMessage());
  }

  @Test
  void anUnknownContainerVersionIsUnsupported() {
    byte[] value = serializer.serialize("frames", FRAME);
    value[4] = 2;
    assertThrows(UnsupportedPayloadException.class, () -> deserializer.deserialize("frames", value));
  }

  @Test
  void aFrameOverTheLimitsIsRefusedBeforeItIsRead() {
    byte[] value = serializer.serialize("frames", FRAME);
    EncodedFrameDeserializer strict = new EncodedFrameDeserializer(
        Limits.builder().maxPixels(64 * 48 - 1).build());
    assertThrows(PayloadTooLargeException.class, () -> strict.deserialize("frames", value));
  }

  @Test
  void headersThatContradictTheContainerMakeTheRecordCorrupt() {
    byte[] value = serializer.serialize("frames", FRAME);
    String[][] lies = {
        {FrameHeaders.STREAM, "cam-8"}, {FrameHeaders.FRAME, "41"}, {FrameHeaders.PTS, "1"},
        {FrameHeaders.MODE, "ycbcr"}, {FrameHeaders.FRAME, "forty-two"}};
    for (String[] lie : lies) {
      RecordHeaders h = new RecordHeaders();
      h.add(lie[0], lie[1].getBytes(StandardCharsets.UTF_8));
      CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
          () -> deserializer.deserialize("frames", h, value), () -> "accepted " + lie[0] + "=" + lie[1]);
      assertTrue(e.getMessage().contains(lie[0]), e.getMessage());
    }
  }

  @Test
  void oversizedOrInvalidUtf8HeadersAreCorrupt() {
    byte[] value = serializer.serialize("frames", FRAME);
    RecordHeaders big = new RecordHeaders();
    big.add(FrameHeaders.STREAM, new byte[2000]);
    assertThrows(CorruptPayloadException.class, () -> deserializer.deserialize("frames", big, value));
    RecordHeaders bad = new RecordHeaders();
    bad.add(FrameHeaders.STREAM, new byte[] {(byte) 0xC3, 0x28});
    assertThrows(CorruptPayloadException.class, () -> deserializer.deserialize("frames", bad, value));
  }

  private static int count(RecordHeaders h, String key) {
    int n = 0;
    for (var header : h.headers(key)) {
      n++;
    }
    return n;
  }
}
