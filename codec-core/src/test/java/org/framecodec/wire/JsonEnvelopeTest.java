package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;

class JsonEnvelopeTest {
  private final JsonEnvelope json = new JsonEnvelope();

  private static final EncodedFrame FULL = EncodedFrame.builder().payload(new byte[] {0, 1, 2, 3, 0}, 1, 3)
      .size(3, 2).channels(3).mode(JpegMode.YCBCR).quality(80).timestampMicros(1_718_000_000_123_456L)
      .streamId("cam \"7\"").build();
  private static final EncodedFrame MINIMAL = EncodedFrame.builder().payload(new byte[] {(byte) 0xFB, (byte) 0xFF})
      .size(4, 5).channels(1).mode(JpegMode.GRAY).build();

  @Test
  void writesTheDocumentedEnvelope() {
    assertEquals("{\"shape\":[2,3,3],\"mode\":\"ycbcr\",\"quality\":80,\"timestamp_us\":1718000000123456,"
        + "\"stream\":\"cam \\\"7\\\"\",\"data\":\"AQID\"}", text(json.toBytes(FULL)));
    assertEquals("{\"shape\":[5,4,1],\"mode\":\"gray\",\"data\":\"+/8=\"}", text(json.toBytes(MINIMAL)));
    assertEquals("{\"frames\":[{\"shape\":[5,4,1],\"mode\":\"gray\",\"data\":\"+/8=\"}]}",
        text(json.batchToBytes(List.of(MINIMAL))));
    assertEquals("{\"frames\":[]}", text(json.batchToBytes(List.of())));
  }

  @Test
  void aFrameNumberIsTheFrameFieldAfterTheStream() {
    EncodedFrame numbered = FULL.toBuilder().frameNumber(1234).build();
    assertEquals("{\"shape\":[2,3,3],\"mode\":\"ycbcr\",\"quality\":80,\"timestamp_us\":1718000000123456,"
        + "\"stream\":\"cam \\\"7\\\"\",\"frame\":1234,\"data\":\"AQID\"}", text(json.toBytes(numbered)));
    assertEquals(List.of(numbered), json.read(json.toBytes(numbered)));
    assertEquals(List.of(MINIMAL), json.read("{\"shape\":[5,4],\"mode\":\"gray\",\"frame\":null,\"data\":\"+/8=\"}"));
    assertCorrupt("envelope has frame number -3; it must be 0 or more",
        "{\"shape\":[5,4],\"mode\":\"gray\",\"frame\":-3,\"data\":\"+/8=\"}");
    assertCorrupt("envelope field 'frame' must be an integer, got a string",
        "{\"shape\":[5,4],\"mode\":\"gray\",\"frame\":\"7\",\"data\":\"+/8=\"}");
  }

  @Test
  void roundTripsSingleFramesAndBatchesFromBytesStreamsAndText() {
    byte[] big = new byte[100_003];
    new java.util.Random(1).nextBytes(big);
    EncodedFrame large = EncodedFrame.of(big, 1920, 1080, 3, JpegMode.CV2_YUV, 50);
    for (EncodedFrame f : List.of(FULL, MINIMAL, large)) {
      byte[] doc = json.toBytes(f);
      assertEquals(List.of(f), json.read(doc));
      assertEquals(List.of(f), json.read(new ByteArrayInputStream(doc)));
      assertEquals(List.of(f), json.read(text(doc)));
    }
    List<EncodedFrame> batch = List.of(FULL, large, MINIMAL);
    byte[] doc = json.batchToBytes(batch);
    assertEquals(batch, json.read(doc));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    json.writeBatch(batch, out);
    assertArrayEquals(doc, out.toByteArray());
    assertEquals(List.of(), json.read("{\"frames\": []}"));
  }

  @Test
  void readsWhatAPythonSenderMightWrite() {
    // Field order, whitespace, null optionals, a two-entry shape, unknown fields and a base64
    // string wrapped with escaped newlines (base64.encodebytes) are all fine.
    String doc = "{ \"data\": \"AQ\\nID\\n\", \"extra\": {\"nested\": [1, {\"x\": null}]},\n"
        + "  \"quality\": null, \"timestamp_us\": null, \"stream\": null,\n"
        + "  \"mode\": \"CV2-YUV\", \"shape\": [2, 3] }";
    EncodedFrame f = json.read(doc).get(0);
    assertArrayEquals(new byte[] {1, 2, 3}, f.payloadCopy());
    assertEquals(1, f.channels());
    assertEquals(3, f.width());
    assertEquals(2, f.height());
    assertEquals(JpegMode.CV2_YUV, f.mode());
    assertEquals(OptionalInt.empty(), f.quality());
  }

  @Test
  void bareJsonStringIsTheJpegInBase64WithTheConfiguredMode() {
    byte[] jpeg = CorpusFrames.jpeg(24, 16, true);
    String doc = "\"" + Base64Codec.encodeToString(jpeg) + "\"";
    EncodedFrame f = json.read(doc).get(0);
    assertArrayEquals(jpeg, f.payloadCopy());
    assertEquals(24, f.width());
    assertEquals(16, f.height());
    assertEquals(3, f.channels());
    assertEquals(JpegMode.CV2_YUV, f.mode());
    JsonEnvelope ycbcr = new JsonEnvelope(Limits.defaults(), JpegMode.YCBCR);
    assertEquals(JpegMode.YCBCR, ycbcr.read(doc.getBytes(StandardCharsets.US_ASCII)).get(0).mode());
    var e = assertThrows(CorruptPayloadException.class, () -> json.read("\"AQID\""));
    assertTrue(e.getMessage().startsWith("not a JPEG"), e.getMessage());
  }

  // ------------------------------------------------------------ malformed documents

  @Test
  void documentsThatAreNotAnEnvelopeAreCorrupt() {
    assertCorrupt("empty JSON document: expected an object or a base64 string", "  ");
    assertCorrupt("a JSON message must be an object or a base64 string, got the number 42", "42");
    assertCorrupt("a JSON message must be an object or a base64 string, got an array", "[]");
    assertCorruptStart("unexpected an object after the JSON message", "{\"frames\":[]} {}");
    assertCorruptStart("malformed JSON: Unexpected end-of-input", "{\"shape\": [1, 2");
    assertCorruptStart("malformed JSON: Unexpected close marker '}'", "{\"shape\": [1, 2}");
    assertCorruptStart("malformed JSON: Unexpected character", "{shape: [1, 2]}");
  }

  @Test
  void missingFieldsAreCorrupt() {
    assertCorrupt("envelope has no 'shape' field; a frame needs shape, mode and data",
        "{\"mode\":\"gray\",\"data\":\"AQID\"}");
    assertCorrupt("envelope has no 'mode' field; a frame needs shape, mode and data",
        "{\"shape\":[1,1],\"data\":\"AQID\"}");
    assertCorrupt("envelope has no 'data' field; a frame needs shape, mode and data",
        "{\"shape\":[1,1],\"mode\":\"gray\"}");
    assertCorrupt("frames[1] has no 'data' field; a frame needs shape, mode and data",
        "{\"frames\":[" + text(json.toBytes(MINIMAL)) + ",{\"shape\":[1,1],\"mode\":\"gray\"}]}");
  }

  @Test
  void mistypedFieldsAreCorrupt() {
    assertCorrupt("envelope field 'shape' must be an array [height, width, channels], got a string",
        frame("\"shape\":\"2x3\""));
    assertCorrupt("envelope field 'shape' must hold positive integers, got the number 2.0",
        frame("\"shape\":[2.0,3]"));
    assertCorrupt("envelope field 'shape' must hold positive integers, got 0", frame("\"shape\":[0,3]"));
    assertCorrupt("envelope field 'shape' must hold positive integers, got -3", frame("\"shape\":[2,-3]"));
    assertCorrupt("envelope field 'shape' must hold positive integers, got -30000000000",
        frame("\"shape\":[2,-30000000000]"));
    assertCorrupt("envelope field 'shape' has 1 entries; expected [height, width, channels] or [height, width]",
        frame("\"shape\":[2]"));
    assertCorrupt("envelope field 'shape' has more than 3 entries; expected [height, width, channels] or [height, width]",
        frame("\"shape\":[2,3,3,1]"));
    assertCorrupt("envelope field 'mode' must be a string, got the number 1", frame("\"mode\":1"));
    assertCorrupt("envelope field 'quality' must be an integer, got a string", frame("\"quality\":\"80\""));
    assertCorrupt("envelope field 'quality' must be an integer, got the number 80.5", frame("\"quality\":80.5"));
    assertCorrupt("envelope has quality 0; it must be 1..100", frame("\"quality\":0"));
    assertCorrupt("envelope has quality 101; it must be 1..100", frame("\"quality\":101"));
    assertCorrupt("envelope field 'timestamp_us' must be an integer, got the number 1.5",
        frame("\"timestamp_us\":1.5"));
    assertCorrupt("envelope field 'timestamp_us' is 99999999999999999999, which does not fit in a signed 64-bit integer",
        frame("\"timestamp_us\":99999999999999999999"));
    assertCorrupt("envelope field 'stream' must be a string, got a boolean", frame("\"stream\":true"));
    assertCorrupt("envelope field 'data' must be a base64 string, got null", "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":null}");
    assertCorrupt("envelope has the field 'mode' twice",
        "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQID\",\"mode\":\"gray\"}");
    assertCorrupt("'frames' must be an array of frame objects, got an object", "{\"frames\":{}}");
    assertCorrupt("frames[0] must be an object, got a string", "{\"frames\":[\"AQID\"]}");
    assertCorrupt("envelope has 'frames' and also frame fields; a batch keeps them inside 'frames'",
        "{\"mode\":\"gray\",\"frames\":[]}");
    assertCorrupt("envelope has the field 'frames' twice", "{\"frames\":[],\"frames\":[]}");
    assertCorrupt("envelope: stream id has an unpaired surrogate at index 0", frame("\"stream\":\"\\ud800\""));
  }

  @Test
  void badBase64InDataIsCorruptWithItsPosition() {
    assertCorrupt("envelope field 'data': invalid base64: incorrect padding: the text ends at index 3 "
        + "inside a group of 3 data characters (last one at index 2) that no '=' padding completes",
        "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQI\"}");
    assertCorrupt("envelope field 'data': invalid base64: non-ASCII character U+00E9 at index 2 "
        + "(the peer's b64decode rejects non-ASCII text)",
        "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQ\\u00e9ID\"}");
    assertCorrupt("envelope field 'data' decodes to an empty payload",
        "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"\"}");
    assertCorrupt("frames[0] field 'data': invalid base64: the number of data characters (1) "
        + "cannot be 1 more than a multiple of 4; the last one is at index 0",
        "{\"frames\":[{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"A\"}]}");
  }

  @Test
  void unknownModeOrChannelCountIsUnsupported() {
    var e = assertThrows(UnsupportedPayloadException.class, () -> json.read(frame("\"mode\":\"webp\"")));
    assertEquals("envelope has mode 'webp'; known modes are cv2-yuv, ycbcr and gray", e.getMessage());
    var c = assertThrows(UnsupportedPayloadException.class,
        () -> json.read("{\"shape\":[2,2,4],\"mode\":\"gray\",\"data\":\"AQID\"}"));
    assertEquals("envelope field 'shape' declares 4 channels; 1 or 3 are supported", c.getMessage());
  }

  // ------------------------------------------------------------ limits

  @Test
  void sizesOverTheLimitsAreTooLarge() {
    assertTooLarge("envelope: frame of 100000x100000 = 10000000000 pixels exceeds the limit of 40000000",
        json, "{\"shape\":[100000,100000,3],\"mode\":\"gray\",\"data\":\"AQID\"}");
    assertTooLarge("envelope field 'shape' has the dimension 3000000000, over the limit of 40000000 pixels",
        json, "{\"shape\":[3000000000,1],\"mode\":\"gray\",\"data\":\"AQID\"}");
    assertTooLarge("envelope has a stream id of more than 255 UTF-8 bytes", json,
        frame("\"stream\":\"" + "\u00e9".repeat(200) + "\""));

    Limits small = Limits.builder().maxPayloadBytes(3).maxFramesPerBatch(2).maxDocumentBytes(400)
        .maxNesting(4).build();
    JsonEnvelope strict = new JsonEnvelope(small, JpegMode.CV2_YUV);
    assertEquals(1, strict.read("{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQID\"}").size());
    assertTooLarge("envelope field 'data': base64 text decodes to 4 bytes, more than the limit of 3",
        strict, "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQIDBA==\"}");
    String f = "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQID\"}";
    assertEquals(2, strict.read("{\"frames\":[" + f + "," + f + "]}").size());
    assertTooLarge("batch of 3 frames exceeds the limit of 2", strict,
        "{\"frames\":[" + f + "," + f + "," + f + "]}");
    String deep = "{\"x\":[[[[[1]]]]],\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"AQID\"}";
    var nest = assertThrows(PayloadTooLargeException.class, () -> strict.read(deep));
    assertTrue(nest.getMessage().startsWith("JSON exceeds a limit: Document nesting depth"), nest.getMessage());
    String longDoc = "{\"pad\":\"" + " ".repeat(400) + "\"}";
    assertTooLarge("document of 410 bytes exceeds the limit of 400", strict, longDoc);
    var stream = assertThrows(PayloadTooLargeException.class,
        () -> strict.read(new ByteArrayInputStream(longDoc.getBytes(StandardCharsets.UTF_8))));
    assertEquals("document of more than 400 bytes exceeds the limit of 400", stream.getMessage());
    assertEquals(400, JsonEnvelope.maxStringLength(small), "never more than a document");
  }

  @Test
  void stringsLongerThanTheBase64OfTheLargestPayloadAreRefusedByTheParser() {
    Limits small = Limits.builder().maxPayloadBytes(3000).build();
    JsonEnvelope strict = new JsonEnvelope(small, JpegMode.CV2_YUV);
    assertEquals(4000 + 500 + 1024, JsonEnvelope.maxStringLength(small));
    String doc = "{\"shape\":[1,1],\"mode\":\"gray\",\"data\":\"" + " ".repeat(6000) + "AQID\"}";
    assertTooLarge("envelope field 'data' is a string of 6004 characters; more than 5524 (the base64"
        + " of 3000 bytes with room for line breaks) are refused", strict, doc);
  }

  @Test
  void allFailuresShareTheFrameFormatFamily() {
    for (String bad : new String[] {"", "{", "null", "{\"frames\":[1]}", "\"@@@@\""}) {
      assertThrows(FrameFormatException.class, () -> json.read(bad), bad);
    }
  }

  // ------------------------------------------------------------ helpers

  /** A valid gray envelope with {@code field} ({@code "name":value}) added or replacing its namesake. */
  private static String frame(String field) {
    StringBuilder doc = new StringBuilder("{");
    for (String valid : new String[] {"\"shape\":[1,1]", "\"mode\":\"gray\"", "\"data\":\"AQID\""}) {
      if (!field.startsWith(valid.substring(0, valid.indexOf(':') + 1))) {
        doc.append(valid).append(',');
      }
    }
    return doc.append(field).append('}').toString();
  }

  private static String text(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private void assertCorrupt(String message, String doc) {
    var e = assertThrows(CorruptPayloadException.class, () -> json.read(doc), doc);
    assertEquals(message, e.getMessage());
  }

  private void assertCorruptStart(String prefix, String doc) {
    var e = assertThrows(CorruptPayloadException.class, () -> json.read(doc), doc);
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }

  private static void assertTooLarge(String message, JsonEnvelope reader, String doc) {
    var e = assertThrows(PayloadTooLargeException.class, () -> reader.read(doc), doc);
    assertEquals(message, e.getMessage());
  }

  @Test
  void bytesJacksonTakesForUtf32AreCorruptNotAnIoError() {
    // Found by WireReaderFuzzTest and JsonEnvelopeFuzzTest: zero bytes after the first make
    // Jackson guess UTF-32, whose decoder threw a CharConversionException, an IOException that
    // became an UncheckedIOException instead of a FrameFormatException.
    byte[] doc = new byte[44];
    doc[0] = '"';
    doc[42] = '"';
    doc[43] = '}';
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class, () -> json.read(doc));
    assertTrue(e.getMessage().startsWith("malformed JSON: "), e.getMessage());
    assertThrows(CorruptPayloadException.class, () -> json.read(new java.io.ByteArrayInputStream(doc)));
  }
}
