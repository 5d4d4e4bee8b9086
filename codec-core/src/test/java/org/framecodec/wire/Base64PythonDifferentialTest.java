package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Python peer's {@code base64.b64encode} / {@code base64.b64decode} (Debian's CPython
 * 3.11) on hundreds of edge-case and random inputs and asserts that {@link Base64Codec} accepts and
 * rejects the same inputs, yields the same bytes, and fails for the same reason.
 */
class Base64PythonDifferentialTest {
  private static final HexFormat HEX = HexFormat.of();
  /** For every line: "e <hex>" encode bytes, "b <hex>" decode bytes, "s <hex of UTF-8>" decode str. */
  private static final String SCRIPT = String.join("\n",
      "import sys, base64, binascii",
      "for line in open(sys.argv[1]):",
      "    kind, _, arg = line.rstrip('\\n').partition(' ')",
      "    data = bytes.fromhex(arg)",
      "    if kind == 'e':",
      "        print('ok ' + base64.b64encode(data).decode().encode().hex())",
      "        continue",
      "    x = data if kind == 'b' else data.decode('utf-8')",
      "    try:",
      "        print('ok ' + base64.b64decode(x).hex())",
      "    except binascii.Error as e:",
      "        print('padding' if 'Incorrect padding' in str(e) else 'count' if 'cannot be 1 more' in str(e) else 'other ' + str(e))",
      "    except ValueError as e:",
      "        print('ascii' if 'ASCII' in str(e) else 'other ' + str(e))");

  @TempDir Path dir;

  @Test
  void acceptsRejectsAndDecodesExactlyLikePythonB64decode() throws IOException {
    Random rnd = new Random(20240611);
    List<String> texts = new ArrayList<>(edgeCases());
    for (int i = 0; i < 250; i++) {
      texts.add(mutate(rnd, randomBase64(rnd, rnd.nextInt(40))));
    }
    // Long inputs cross the fast path's chunk boundaries, clean and with damage deep inside.
    for (int n : new int[] {15_001, 24_576, 24_577, 49_152, 70_001}) {
      String clean = randomBase64(rnd, n);
      texts.add(clean);
      texts.add(clean.substring(0, 16_384) + "==" + clean.substring(16_384));
      texts.add(clean.substring(0, 20_000) + "\n" + clean.substring(20_000));
      texts.add(clean.substring(0, 16_383) + "=" + clean.substring(16_384));
      texts.add(clean + "x");
    }
    List<byte[]> byteCases = new ArrayList<>();
    for (String t : texts) {
      if (t.chars().allMatch(c -> c < 0x80)) {
        byteCases.add(t.getBytes(StandardCharsets.US_ASCII));
      }
    }
    // bytes input: bytes of 0x80 and above are skipped by the peer, not refused.
    for (int i = 0; i < 60; i++) {
      byte[] b = randomBase64(rnd, rnd.nextInt(30)).getBytes(StandardCharsets.US_ASCII);
      byte[] withHigh = new byte[b.length + 3];
      int at = rnd.nextInt(b.length + 1);
      System.arraycopy(b, 0, withHigh, 0, at);
      withHigh[at] = (byte) (0x80 + rnd.nextInt(128));
      withHigh[at + 1] = (byte) 0xFF;
      withHigh[at + 2] = (byte) 0xC3;
      System.arraycopy(b, at, withHigh, at + 3, b.length - at);
      byteCases.add(withHigh);
    }
    List<byte[]> encodeCases = new ArrayList<>();
    for (int n = 0; n < 80; n++) {
      encodeCases.add(randomBytes(rnd, n));
    }
    encodeCases.add(randomBytes(rnd, 12_288 * 3 + 2));
    encodeCases.add(randomBytes(rnd, 100_000));

    StringBuilder input = new StringBuilder();
    for (byte[] e : encodeCases) {
      input.append("e ").append(HEX.formatHex(e)).append('\n');
    }
    for (String t : texts) {
      input.append("s ").append(HEX.formatHex(t.getBytes(StandardCharsets.UTF_8))).append('\n');
    }
    for (byte[] b : byteCases) {
      input.append("b ").append(HEX.formatHex(b)).append('\n');
    }
    Path file = dir.resolve("cases.txt");
    Files.writeString(file, input);
    String[] answers = PythonPeer.inline(SCRIPT, file.toString()).split("\n");
    assertEquals(encodeCases.size() + texts.size() + byteCases.size(), answers.length);

    int line = 0;
    for (byte[] e : encodeCases) {
      String expected = answers[line++];
      String text = new String(HEX.parseHex(expected.substring(3)), StandardCharsets.US_ASCII);
      assertEquals(text, Base64Codec.encodeToString(e), "encode of " + e.length + " bytes");
      byte[] dst = new byte[Base64Codec.encodedLength(e.length) + 7];
      byte[] shifted = new byte[e.length + 5];
      System.arraycopy(e, 0, shifted, 2, e.length);
      int n = Base64Codec.encode(shifted, 2, e.length, dst, 7);
      assertEquals(text, new String(dst, 7, n, StandardCharsets.US_ASCII), "encode at offsets");
    }
    int accepted = 0;
    int rejected = 0;
    for (String t : texts) {
      String expected = answers[line++];
      char[] padded = ("@@" + t + "@").toCharArray();
      boolean ok = check(expected, t, () -> Base64Codec.decode(t));
      check(expected, t, () -> Base64Codec.decode(padded, 2, t.length(), Integer.MAX_VALUE - 8));
      if (ok) {
        accepted++;
      } else {
        rejected++;
      }
    }
    for (byte[] b : byteCases) {
      String expected = answers[line++];
      byte[] padded = new byte[b.length + 3];
      System.arraycopy(b, 0, padded, 1, b.length);
      String shown = HEX.formatHex(b);
      check(expected, shown, () -> Base64Codec.decode(b));
      check(expected, shown, () -> Base64Codec.decode(padded, 1, b.length, Integer.MAX_VALUE - 8));
    }
    // Both outcomes must be well represented, or the comparison proves little.
    assertTrue(accepted > 100 && rejected > 50, accepted + " accepted, " + rejected + " rejected");
  }

  private interface Decode {
    byte[] run();
  }

  /** Compares one Java decode with the peer's answer; returns whether the peer accepted it. */
  private static boolean check(String expected, String input, Decode decode) {
    String shown = input.length() > 60 ? input.substring(0, 60) + "...(" + input.length() + ")" : input;
    if (expected.startsWith("ok ")) {
      byte[] want = HEX.parseHex(expected.substring(3));
      try {
        assertArrayEquals(want, decode.run(), () -> "bytes differ for '" + shown + "'");
      } catch (CorruptPayloadException e) {
        fail("Python accepts '" + shown + "' but Java says: " + e.getMessage());
      }
      return true;
    }
    try {
      byte[] got = decode.run();
      fail("Python rejects '" + shown + "' (" + expected + ") but Java returned " + got.length + " bytes");
    } catch (CorruptPayloadException e) {
      String m = e.getMessage();
      String reason = switch (expected) {
        case "padding" -> "incorrect padding";
        case "count" -> "cannot be 1 more than a multiple of 4";
        case "ascii" -> "non-ASCII character";
        default -> throw new AssertionError("unexpected Python error " + expected + " for '" + shown + "'");
      };
      assertTrue(m.startsWith("invalid base64: ") && m.contains(reason),
          () -> "for '" + shown + "' Python says " + expected + ", Java: " + m);
    }
    return false;
  }

  private static List<String> edgeCases() {
    return List.of("", "=", "==", "===", "====", "A", "AA", "AAA", "AAAA", "AA=", "AA==", "AAA=",
        "A===", "A=", "=A", "==AA", "=AAA=", "AB==", "AB=", "ABC=", "ABD=", "AB==CD==", "AB=C=",
        "AB=C", "ABC=D", "AB=\n=", "AB= =", "AB=!=", "AB==\u00e9", "QUJD\nREVG", " QUJD ",
        "QU JD", "QUJD====", "QUJDRA", "QUJDRA=", "QUJDRA==", "QUJDRA==garbage", "QUJDRA=garbage",
        "=QUJD", "Q=UJD", "QU=JD", "QUJ=D", "QUJ==D", "QUJD=\n=", "-_", "YWJj-_", "YWJj!!!",
        "\u00e9QUJD", "QUJD\u00e9", "QUJD==\u00e9", "QU\u20acJD", "QUJD\uD83D\uDE00", "AB\u0000CD",
        "YWJj\r\nZGVm\r\n", "\tYW Jj\n", "YWJjZA", "YWJjZA=", "YWJjZA==", "YWJjZA===",
        "YWJjZA====YWJj", "YWJjZGU", "YWJjZGU=", "YWJjZGU==", "YWJjZGU=YWJj", "Y", "YW", "YWJ",
        "YWJjZ", "!!!!", "....", "AAAA!", "!AAAA", "A!A!A!A!", "AAA=A", "AA=A=", "AA=A==",
        "AAAAAA=A=", "////", "++++", "+/+/", "AP8=", "AP9=", "AP//", "////=", "YQ", "YQ=",
        "YQ==", "YQ===", "YR==", "YWI", "YWI=", "YWJ=",
        // Characters whose low byte is in the alphabet must not be narrowed into it.
        "QUJ\u0141", "\u0141\u0141\u0141\u0141", "QU\u00e9D");
  }

  private static String mutate(Random rnd, String s) {
    StringBuilder b = new StringBuilder(s);
    String junk = " \n\r\t=!-_.:@\u00e9\u20ac";
    int edits = rnd.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int op = rnd.nextInt(5);
      int at = rnd.nextInt(b.length() + 1);
      switch (op) {
        case 0 -> b.insert(at, junk.charAt(rnd.nextInt(junk.length())));
        case 1 -> b.insert(at, '=');
        case 2 -> {
          if (b.length() > 0) {
            b.deleteCharAt(Math.min(at, b.length() - 1));
          }
        }
        case 3 -> b.append(rnd.nextBoolean() ? "=" : "AB");
        default -> b.insert(at, ALPHABET.charAt(rnd.nextInt(64)));
      }
    }
    return b.toString();
  }

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private static String randomBase64(Random rnd, int n) {
    return java.util.Base64.getEncoder().encodeToString(randomBytes(rnd, n));
  }

  private static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}
