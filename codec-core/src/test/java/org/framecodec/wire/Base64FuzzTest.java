package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;

/**
 * Coverage-guided fuzzing of {@link Base64Codec}: the decoder that sees every base64 body and
 * every JSON {@code data} string.
 *
 * <p>Properties: the four decode paths (allocating {@code byte[]}, into a caller buffer, text,
 * and with a limit) agree on every input, byte for byte or by both refusing it with a
 * {@link CorruptPayloadException}; a limit one byte below the output raises
 * {@link PayloadTooLargeException}; and encode then decode is the identity. The decoder's
 * agreement with CPython itself is {@code Base64PythonDifferentialTest}'s job.
 */
class Base64FuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodePathsAgree(byte[] input) {
    byte[] allocating;
    try {
      allocating = Base64Codec.decode(input, 0, input.length, Integer.MAX_VALUE - 8);
    } catch (CorruptPayloadException refused) {
      assertRefusedEverywhere(input);
      return;
    }
    byte[] dst = new byte[Base64Codec.maxDecodedLength(input.length) + 3];
    int n = Base64Codec.decode(input, 0, input.length, dst, 3);
    assertArrayEquals(allocating, Arrays.copyOfRange(dst, 3, 3 + n), "decode into a caller buffer");
    if (isAscii(input)) {
      assertArrayEquals(allocating, Base64Codec.decode(new String(input, StandardCharsets.US_ASCII)),
          "decode of the same text");
    }
    if (allocating.length > 0) {
      try {
        Base64Codec.decode(input, 0, input.length, allocating.length - 1);
        throw new AssertionError("a limit below the output length must be refused");
      } catch (PayloadTooLargeException expected) {
        // The limit holds before allocating.
      }
    }
    assertArrayEquals(allocating, Base64Codec.decode(input, 0, input.length, allocating.length));
  }

  @FuzzTest(maxDuration = "60s")
  void encodeThenDecodeIsIdentity(byte[] data) {
    String text = Base64Codec.encodeToString(data);
    assertEquals(Base64Codec.encodedLength(data.length), text.length());
    assertArrayEquals(data, Base64Codec.decode(text));
    byte[] chars = new byte[text.length() + 5];
    int n = Base64Codec.encode(data, 0, data.length, chars, 5);
    assertEquals(text, new String(chars, 5, n, StandardCharsets.US_ASCII));
  }

  private static void assertRefusedEverywhere(byte[] input) {
    byte[] dst = new byte[Base64Codec.maxDecodedLength(input.length)];
    try {
      Base64Codec.decode(input, 0, input.length, dst, 0);
      throw new AssertionError("decode into a caller buffer accepted what the allocating decode refused");
    } catch (CorruptPayloadException expected) {
      // Both refuse.
    }
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }
}
