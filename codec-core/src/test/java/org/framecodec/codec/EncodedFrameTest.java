package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;

class EncodedFrameTest {
  private static final byte[] BYTES = {9, 1, 2, 3, 4, 9};

  @Test
  void viewsThePayloadRangeWithoutCopying() {
    EncodedFrame f = EncodedFrame.builder().payload(BYTES, 1, 4).size(640, 480).channels(3)
        .mode(JpegMode.YCBCR).quality(75).timestampMicros(-5).streamId("cam-1").build();
    assertSame(BYTES, f.payloadArray());
    assertEquals(1, f.payloadOffset());
    assertEquals(4, f.payloadLength());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, f.payloadCopy());
    ByteBuffer view = f.payload();
    assertTrue(view.isReadOnly());
    assertEquals(0, view.position());
    assertEquals(4, view.remaining());
    assertEquals(1, view.get(0));
    assertArrayEquals(new int[] {480, 640, 3}, f.shape());
    assertEquals(OptionalInt.of(75), f.quality());
    assertEquals(OptionalLong.of(-5), f.timestampMicros());
    assertEquals(Optional.of("cam-1"), f.streamId());
    assertEquals(JpegMode.YCBCR, f.mode());
    assertEquals("EncodedFrame{640x480x3 ycbcr q75, 4 bytes, t=-5us, stream 'cam-1'}", f.toString());
  }

  @Test
  void optionalFieldsAreEmptyByDefaultAndModeIsThePeersRecipe() {
    EncodedFrame f = EncodedFrame.builder().payload(BYTES).size(2, 2).build();
    assertEquals(3, f.channels());
    assertEquals(JpegMode.CV2_YUV, f.mode());
    assertEquals(OptionalInt.empty(), f.quality());
    assertEquals(OptionalLong.empty(), f.timestampMicros());
    assertEquals(Optional.empty(), f.streamId());
    assertEquals(Optional.empty(), f.toBuilder().streamId("").build().streamId(), "empty id is no id");
  }

  @Test
  void equalityIsByValueIncludingPayloadBytes() {
    byte[] copy = {0, 0, 1, 2, 3, 4};
    EncodedFrame a = EncodedFrame.builder().payload(BYTES, 1, 4).size(2, 2).quality(50).build();
    EncodedFrame b = EncodedFrame.builder().payload(copy, 2, 4).size(2, 2).quality(50).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.toBuilder().quality(51).build());
    assertNotEquals(a, a.toBuilder().timestampMicros(0).build());
    assertNotEquals(a, a.toBuilder().payload(copy, 1, 4).build());
    assertEquals(a, a.toBuilder().build());
  }

  @Test
  void invalidValuesAreRefusedWithTheValueInTheMessage() {
    assertMessage("payload range offset 0, length 0 is empty or outside an array of 0",
        () -> EncodedFrame.builder().payload(new byte[0]).size(1, 1).build());
    assertMessage("payload range offset 4, length 3 is empty or outside an array of 6",
        () -> EncodedFrame.builder().payload(BYTES, 4, 3).size(1, 1).build());
    assertMessage("frame size must be positive, got 0x5",
        () -> EncodedFrame.builder().payload(BYTES).size(0, 5).build());
    assertMessage("channels must be 1 or 3, got 2",
        () -> EncodedFrame.builder().payload(BYTES).size(1, 1).channels(2).build());
    assertMessage("JPEG quality must be 1..100, got 101",
        () -> EncodedFrame.builder().payload(BYTES).size(1, 1).quality(101).build());
    assertMessage("JPEG quality must be 1..100, got 0; use noQuality() for unknown",
        () -> EncodedFrame.builder().quality(0));
    String long256 = "\u00e9".repeat(128); // 256 UTF-8 bytes in 128 characters
    var e = assertThrows(IllegalArgumentException.class,
        () -> EncodedFrame.builder().payload(BYTES).size(1, 1).streamId(long256).build());
    assertTrue(e.getMessage().startsWith("stream id of 256 UTF-8 bytes exceeds 255"), e.getMessage());
    assertEquals(255, EncodedFrame.builder().payload(BYTES).size(1, 1).streamId("x".repeat(255))
        .build().streamId().get().length());
    assertMessage("stream id has an unpaired surrogate at index 1",
        () -> EncodedFrame.builder().payload(BYTES).size(1, 1).streamId("a\ud800").build());
    assertThrows(NullPointerException.class, () -> EncodedFrame.builder().size(1, 1).build());
    assertThrows(NullPointerException.class,
        () -> EncodedFrame.builder().payload(BYTES).size(1, 1).mode(null).build());
  }

  @Test
  void builderClearsOptionalFields() {
    EncodedFrame f = EncodedFrame.builder().payload(BYTES).size(1, 1).quality(9).timestampMicros(3)
        .noQuality().noTimestamp().build();
    assertFalse(f.quality().isPresent());
    assertFalse(f.timestampMicros().isPresent());
  }

  @Test
  void carriesSubsamplingAndFrameNumberAndJoinsAStream() {
    EncodedFrame f = EncodedFrame.builder().payload(BYTES).size(4, 2).subsampling(Subsampling.S422)
        .build();
    assertEquals(Optional.of(Subsampling.S422), f.subsampling());
    assertEquals(OptionalLong.empty(), f.frameNumber());
    EncodedFrame inStream = f.inStream("cam-9", 41, 1_640_000L);
    assertSame(BYTES, inStream.payloadArray(), "the payload is shared");
    assertEquals(Optional.of("cam-9"), inStream.streamId());
    assertEquals(OptionalLong.of(41), inStream.frameNumber());
    assertEquals(OptionalLong.of(1_640_000L), inStream.timestampMicros());
    assertEquals("EncodedFrame{4x2x3 cv2-yuv 422, 6 bytes, t=1640000us, stream 'cam-9', frame 41}",
        inStream.toString());
    assertNotEquals(inStream, inStream.toBuilder().frameNumber(42).build());
    assertEquals(f, f.toBuilder().subsampling(Subsampling.S444).build(),
        "subsampling is fixed by the payload bytes, so it is not part of equality");
    assertEquals(Optional.empty(), f.toBuilder().channels(1).build().subsampling(),
        "one channel has no chroma");
    assertEquals(OptionalLong.empty(), inStream.toBuilder().noFrameNumber().build().frameNumber());
    assertMessage("frame number must be 0 or more, got -1; use noFrameNumber() for none",
        () -> EncodedFrame.builder().frameNumber(-1));
  }

  private static void assertMessage(String expected, Runnable r) {
    var e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(expected, e.getMessage());
  }
}
