package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;
import org.junit.jupiter.api.Test;

class Base64CodecTest {

  @Test
  void encodesTheRfc4648TestVectors() {
    String[][] vectors = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (String[] v : vectors) {
      byte[] raw = v[0].getBytes(StandardCharsets.US_ASCII);
      assertEquals(v[1], Base64Codec.encodeToString(raw));
      assertArrayEquals(raw, Base64Codec.decode(v[1]));
      assertArrayEquals(raw, Base64Codec.decode(v[1].getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void encodedLengthIsFourCharactersPerStartedGroupOfThree() {
    assertEquals(0, Base64Codec.encodedLength(0));
    assertEquals(4, Base64Codec.encodedLength(1));
    assertEquals(4, Base64Codec.encodedLength(3));
    assertEquals(8, Base64Codec.encodedLength(4));
    assertEquals(91_440, Base64Codec.encodedLength(68_578));
    var e = assertThrows(IllegalArgumentException.class, () -> Base64Codec.encodedLength(-1));
    assertEquals("input length must not be negative, got -1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Base64Codec.encodedLength(Integer.MAX_VALUE));
  }

  @Test
  void encodeIntoCallerArraysAtAnyOffsetMatchesTheJdk() {
    Random rnd = new Random(5);
    for (int len : new int[] {0, 1, 2, 3, 4, 5, 100, 12_287, 12_288, 12_289, 40_000, 100_003}) {
      byte[] data = new byte[len + 9];
      rnd.nextBytes(data);
      for (int off : new int[] {0, 4}) {
        byte[] slice = java.util.Arrays.copyOfRange(data, off, off + len);
        byte[] expected = Base64.getEncoder().encode(slice);
        byte[] dst = new byte[expected.length + 11];
        int n = Base64Codec.encode(data, off, len, dst, 11);
        assertEquals(expected.length, n);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(dst, 11, 11 + n), "len " + len);
        // The whole-array path.
        byte[] exact = new byte[expected.length];
        assertEquals(n, Base64Codec.encode(slice, 0, len, exact, 0));
        assertArrayEquals(expected, exact);
        assertEquals(new String(expected, StandardCharsets.US_ASCII),
            Base64Codec.encodeToString(data, off, len));
      }
    }
  }

  @Test
  void encodeRefusesADestinationThatIsTooSmall() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Base64Codec.encode(new byte[4], 0, 4, new byte[10], 3));
    assertEquals("base64 of 4 bytes needs 8 bytes of room, but the destination of 10 bytes has 7"
        + " from offset 3", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class,
        () -> Base64Codec.encode(new byte[4], 2, 3, new byte[10], 0));
  }

  @Test
  void decodeRoundTripsRandomDataThroughFastAndLenientPaths() {
    Random rnd = new Random(11);
    for (int len : new int[] {0, 1, 2, 3, 30, 12_288, 12_289, 50_000, 70_001}) {
      byte[] raw = new byte[len];
      rnd.nextBytes(raw);
      String text = Base64Codec.encodeToString(raw);
      assertArrayEquals(raw, Base64Codec.decode(text));
      // Python's base64.encodebytes wraps lines at 76 characters: the lenient path skips them.
      String wrapped = Base64.getMimeEncoder().encodeToString(raw);
      assertArrayEquals(raw, Base64Codec.decode(wrapped), "wrapped " + len);
      assertArrayEquals(raw, Base64Codec.decode(wrapped.getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void lenientRulesFollowCpython() {
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, Base64Codec.decode(" YW\nJj \t"));
    assertArrayEquals(new byte[] {'a', 'b'}, Base64Codec.decode("YWI=garbage-after"));
    // A pad ends decoding once it completes the group; what follows is ignored.
    assertArrayEquals(new byte[] {'a'}, Base64Codec.decode("YQ==YWJj"));
    // Pads in the first two positions of a group are skipped.
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, Base64Codec.decode("=Y=WJj"));
    assertArrayEquals(new byte[0], Base64Codec.decode("===="));
    // Leftover bits are dropped, not checked.
    assertArrayEquals(new byte[] {'a'}, Base64Codec.decode("YR=="));
    // Bytes of 0x80 and above are skipped in byte input.
    assertArrayEquals(new byte[] {'a', 'b', 'c'},
        Base64Codec.decode(new byte[] {'Y', (byte) 0xC3, (byte) 0xA9, 'W', 'J', 'j'}));
  }

  @Test
  void errorsNameTheProblemAndThePosition() {
    var one = assertThrows(CorruptPayloadException.class, () -> Base64Codec.decode("YWJjZ"));
    assertEquals("invalid base64: the number of data characters (5) cannot be 1 more than a"
        + " multiple of 4; the last one is at index 4", one.getMessage());
    var pad = assertThrows(CorruptPayloadException.class, () -> Base64Codec.decode("YWJjZA\n"));
    assertEquals("invalid base64: incorrect padding: the text ends at index 7 inside a group of 2"
        + " data characters (last one at index 5) that no '=' padding completes", pad.getMessage());
    var ascii = assertThrows(CorruptPayloadException.class, () -> Base64Codec.decode("YW\u00e9Jj"));
    assertEquals("invalid base64: non-ASCII character U+00E9 at index 2 (the peer's b64decode"
        + " rejects non-ASCII text)", ascii.getMessage());
    // Also after the padding: the peer checks the whole str before decoding.
    assertThrows(CorruptPayloadException.class, () -> Base64Codec.decode("YQ==\u20ac"));
  }

  @Test
  void outputOverTheLimitIsTooLargeOnBothPaths() {
    byte[] raw = new byte[300];
    String clean = Base64Codec.encodeToString(raw);
    var e = assertThrows(PayloadTooLargeException.class,
        () -> Base64Codec.decode(clean, 299));
    assertEquals("base64 text decodes to 300 bytes, more than the limit of 299", e.getMessage());
    assertEquals(300, Base64Codec.decode(clean, 300).length);
    byte[] dirty = (clean + "\n").getBytes(StandardCharsets.US_ASCII);
    assertThrows(PayloadTooLargeException.class, () -> Base64Codec.decode(dirty, 0, dirty.length, 10));
    // Skipped characters make the text longer than its output: the exact count decides.
    String spaced = clean.replace("A", "A ");
    assertEquals(300, Base64Codec.decode(spaced, 300).length);
    assertThrows(IllegalArgumentException.class, () -> Base64Codec.decode(clean, -1));
  }

  @Test
  void decodeReadsOnlyTheGivenSlice() {
    byte[] buf = "xxYWJjyy".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, Base64Codec.decode(buf, 2, 4, 100));
    char[] chars = "@YWI=@".toCharArray();
    assertArrayEquals(new byte[] {'a', 'b'}, Base64Codec.decode(chars, 1, 4, 100));
    assertThrows(IndexOutOfBoundsException.class, () -> Base64Codec.decode(buf, 6, 4, 100));
    assertTrue(Base64Codec.decode(new byte[0]).length == 0);
  }
}
