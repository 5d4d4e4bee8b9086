package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;

/** Every framing written by {@link WireWriter} is detected and read back by {@link WireReader}. */
class WireReaderTest {
  private static final byte[] COLOUR = CorpusFrames.jpeg(40, 24, true);
  private static final byte[] GRAY = CorpusFrames.jpeg(16, 8, false);
  private static final EncodedFrame A = EncodedFrame.builder().payload(COLOUR).size(40, 24)
      .mode(JpegMode.CV2_YUV).quality(80).timestampMicros(123).streamId("cam-1").build();
  private static final EncodedFrame B = EncodedFrame.builder().payload(GRAY).size(16, 8)
      .channels(1).mode(JpegMode.GRAY).quality(80).build();

  private final WireReader reader = new WireReader();
  private final WireWriter writer = new WireWriter();

  @Test
  void singleFramesRoundTripInEveryFraming() {
    for (Framing framing : Framing.values()) {
      byte[] message = writer.write(framing, A);
      assertEquals(framing, Framing.detect(message, 0, message.length));
      WireMessage read = reader.read(message);
      assertEquals(framing, read.framing());
      EncodedFrame f = read.single();
      assertArrayEquals(COLOUR, f.payloadCopy(), framing.toString());
      assertEquals(40, f.width());
      assertEquals(24, f.height());
      assertEquals(3, f.channels());
      assertEquals(JpegMode.CV2_YUV, f.mode());
      if (framing.supportsBatches()) {
        assertEquals(A, f, "JSON and RAW carry all metadata");
      } else {
        assertEquals(OptionalInt.empty(), f.quality(), "bare payloads carry no metadata");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writer.write(framing, A, out);
      assertArrayEquals(message, out.toByteArray(), "stream and array writers agree for " + framing);
      assertEquals(read, reader.read(new ByteArrayInputStream(message)));
    }
  }

  @Test
  void batchesRoundTripInJsonAndRaw() {
    List<EncodedFrame> batch = List.of(A, B, A);
    for (Framing framing : List.of(Framing.JSON, Framing.RAW)) {
      byte[] message = writer.writeBatch(framing, batch);
      WireMessage read = reader.read(message);
      assertEquals(new WireMessage(framing, batch), read);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writer.writeBatch(framing, batch, out);
      assertArrayEquals(message, out.toByteArray());
      assertEquals(List.of(), reader.read(writer.writeBatch(framing, List.of())).frames());
    }
  }

  @Test
  void bareFramingsRefuseBatches() {
    for (Framing framing : List.of(Framing.BASE64, Framing.JPEG)) {
      var e = assertThrows(IllegalArgumentException.class, () -> writer.writeBatch(framing, List.of(A, B)));
      assertEquals(framing + " framing carries one frame, not a batch of 2; use JSON or RAW for batches",
          e.getMessage());
    }
  }

  @Test
  void bareJpegAndRawFramesViewTheInputArray() {
    byte[] jpeg = writer.write(Framing.JPEG, B);
    EncodedFrame f = reader.read(jpeg).single();
    assertSame(jpeg, f.payloadArray());
    assertEquals(1, f.channels());
    byte[] raw = writer.write(Framing.RAW, B);
    assertSame(raw, reader.read(raw).single().payloadArray());
  }

  @Test
  void barePayloadsGetTheConfiguredMode() {
    WireReader ycbcr = new WireReader(Limits.defaults(), JpegMode.YCBCR);
    assertEquals(JpegMode.YCBCR, ycbcr.read(COLOUR).single().mode());
    assertEquals(JpegMode.YCBCR, ycbcr.readText(Base64Codec.encodeToString(COLOUR)).single().mode());
    assertEquals(JpegMode.YCBCR, ycbcr.bareMode());
  }

  @Test
  void base64TextIsReadLikeThePeersB64decode() {
    String wrapped = java.util.Base64.getMimeEncoder().encodeToString(COLOUR) + "\r\n";
    byte[] body = wrapped.getBytes(StandardCharsets.US_ASCII);
    WireMessage m = reader.read(body);
    assertEquals(Framing.BASE64, m.framing());
    assertArrayEquals(COLOUR, m.single().payloadCopy());
    assertEquals(m, reader.readText(wrapped));
    var e = assertThrows(CorruptPayloadException.class, () -> reader.readText("\u00e9" + wrapped));
    assertTrue(e.getMessage().contains("non-ASCII character U+00E9 at index 0"), e.getMessage());
    var notJpeg = assertThrows(CorruptPayloadException.class, () -> reader.read("AQID".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(notJpeg.getMessage().startsWith("not a JPEG"), notJpeg.getMessage());
    assertThrows(CorruptPayloadException.class, () -> reader.read(new byte[0]));
  }

  @Test
  void jsonIsDetectedAfterWhitespaceAndAByteOrderMark() {
    byte[] json = writer.write(Framing.JSON, A);
    byte[] padded = new byte[json.length + 6];
    padded[0] = (byte) 0xEF;
    padded[1] = (byte) 0xBB;
    padded[2] = (byte) 0xBF;
    padded[3] = ' ';
    padded[4] = '\n';
    padded[5] = '\t';
    System.arraycopy(json, 0, padded, 6, json.length);
    assertEquals(Framing.JSON, Framing.detect(padded, 0, padded.length));
    assertEquals(A, reader.read(padded).single());
    String bareString = " \"" + Base64Codec.encodeToString(GRAY) + "\"";
    WireMessage m = reader.readText(bareString);
    assertEquals(Framing.JSON, m.framing());
    assertEquals(8, m.single().height());
  }

  @Test
  void detectionRulesAndContentTypes() {
    assertEquals(Framing.RAW, Framing.detect(new byte[] {(byte) 0x89, 'F', 'C', 'R'}, 0, 4));
    assertEquals(Framing.BASE64, Framing.detect(new byte[] {(byte) 0x89, 'F', 'C'}, 0, 3));
    assertEquals(Framing.JPEG, Framing.detect(new byte[] {0, (byte) 0xFF, (byte) 0xD8}, 1, 2));
    assertEquals(Framing.JSON, Framing.detect("[1]".getBytes(StandardCharsets.US_ASCII), 0, 3));
    assertEquals(Framing.BASE64, Framing.detect(new byte[0], 0, 0));
    assertEquals(Framing.BASE64, Framing.detect(" /9j/".getBytes(StandardCharsets.US_ASCII), 0, 5));
    assertEquals(Framing.JSON, Framing.detect("\uFEFF{}"));
    assertEquals(Framing.BASE64, Framing.detect("\u00a0{}"));
    assertEquals("application/json", Framing.JSON.contentType());
    assertEquals("text/plain; charset=us-ascii", Framing.BASE64.contentType());
    assertEquals("application/octet-stream", Framing.RAW.contentType());
    assertEquals("image/jpeg", Framing.JPEG.contentType());
  }

  @Test
  void limitsApplyToEveryFraming() {
    Limits small = Limits.builder().maxPixels(40 * 24 - 1).build();
    WireReader strict = new WireReader(small, JpegMode.CV2_YUV);
    for (Framing framing : Framing.values()) {
      byte[] message = writer.write(framing, A);
      assertThrows(PayloadTooLargeException.class, () -> strict.read(message), framing.toString());
    }
    Limits tiny = Limits.builder().maxPayloadBytes(COLOUR.length - 1).build();
    WireReader payloadLimited = new WireReader(tiny, JpegMode.CV2_YUV);
    for (Framing framing : Framing.values()) {
      byte[] message = writer.write(framing, A);
      assertThrows(PayloadTooLargeException.class, () -> payloadLimited.read(message), framing.toString());
    }
    Limits doc = Limits.builder().maxDocumentBytes(100).build();
    WireReader docLimited = new WireReader(doc, JpegMode.CV2_YUV);
    byte[] big = writer.write(Framing.BASE64, A);
    var e = assertThrows(PayloadTooLargeException.class,
        () -> docLimited.read(new ByteArrayInputStream(big)));
    assertEquals("document of more than 100 bytes exceeds the limit of 100", e.getMessage());
    assertThrows(PayloadTooLargeException.class, () -> docLimited.read(big));
    assertThrows(PayloadTooLargeException.class,
        () -> docLimited.readText(new String(big, StandardCharsets.US_ASCII)));
  }

  @Test
  void singleRefusesOtherCounts() {
    WireMessage two = new WireMessage(Framing.RAW, List.of(A, B));
    var e = assertThrows(IllegalStateException.class, two::single);
    assertEquals("expected one frame, the RAW message has 2", e.getMessage());
  }
}
