package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.framecodec.CorruptPayloadException;
import org.junit.jupiter.api.Test;

/** Decoding into a caller buffer must agree with the allocating decoder on every input. */
class Base64DecodeIntoTest {

  private static void assertSameAsAllocating(byte[] text) {
    byte[] expected;
    try {
      expected = Base64Codec.decode(text);
    } catch (CorruptPayloadException e) {
      byte[] dst = new byte[Base64Codec.maxDecodedLength(text.length) + 7];
      assertThrows(CorruptPayloadException.class, () -> Base64Codec.decode(text, 0, text.length, dst, 7));
      return;
    }
    byte[] dst = new byte[Base64Codec.maxDecodedLength(text.length) + 7];
    int n = Base64Codec.decode(text, 0, text.length, dst, 7);
    assertArrayEquals(expected, Arrays.copyOfRange(dst, 7, 7 + n), new String(text, StandardCharsets.ISO_8859_1));
  }

  @Test
  void wellFormedTextOfEverySizeAroundTheChunkBoundaries() {
    Random r = new Random(3);
    for (int size : new int[] {0, 1, 2, 3, 4, 5, 12287, 12288, 12289, 24576, 100_000, 166_707}) {
      byte[] raw = new byte[size];
      r.nextBytes(raw);
      byte[] text = Base64Codec.encodeToString(raw).getBytes(StandardCharsets.US_ASCII);
      byte[] dst = new byte[Base64Codec.maxDecodedLength(text.length)];
      assertEquals(size, Base64Codec.decode(text, 0, text.length, dst, 0));
      assertArrayEquals(raw, Arrays.copyOf(dst, size));
    }
  }

  @Test
  void lenientAndInvalidTextBehavesLikeTheAllocatingDecoder() {
    String[] cases = {"QQ==", "QQ", "QUI=", "QUJD", "Q", "QQ==QUJD", "Q Q = =", "QU\nJD\n", "=QUJD",
        "QUJD=", "QU=JD", "!!QUJD", "Q===", "QUJ", "", "====", "QQ=", "QUI"};
    for (String c : cases) {
      assertSameAsAllocating(c.getBytes(StandardCharsets.ISO_8859_1));
    }
    Random r = new Random(5);
    byte[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n -".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 2000; i++) {
      byte[] text = new byte[r.nextInt(40)];
      for (int j = 0; j < text.length; j++) {
        text[j] = alphabet[r.nextInt(alphabet.length)];
      }
      assertSameAsAllocating(text);
    }
  }

  @Test
  void tooLittleRoomIsAnIllegalArgumentNamingTheSizes() {
    byte[] text = "QUJDRA==".getBytes(StandardCharsets.US_ASCII);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Base64Codec.decode(text, 0, text.length, new byte[5], 0));
    assertEquals(true, e.getMessage().contains("8") && e.getMessage().contains("5"), e.getMessage());
  }
}
