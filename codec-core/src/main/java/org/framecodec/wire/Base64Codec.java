package org.framecodec.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;

/**
 * Standard base64 (RFC 4648 alphabet, {@code =} padding, no line breaks) that encodes exactly as
 * Python's {@code base64.b64encode(x).decode()} and decodes exactly what the Python peer's
 * {@code base64.b64decode(s)} accepts, to the same bytes.
 *
 * <p><b>Encoding</b> writes into a caller-supplied array sized by {@link #encodedLength(int)} and
 * returns the length; {@link #encodeToString} is the allocating convenience. The work is done by
 * {@link java.util.Base64}, whose loop the JVM replaces with vector code on x86; slices that are
 * not a whole array go through it in cache-sized chunks.
 *
 * <p><b>Decoding</b> follows CPython 3.11's non-strict {@code binascii.a2b_base64}, the engine
 * behind {@code b64decode(s)} with {@code validate=False}:
 * <ul>
 *   <li>bytes outside the alphabet (whitespace, newlines, {@code -}, {@code _}, bytes of 0x80 and
 *       above, ...) are skipped;</li>
 *   <li>{@code =} in the first or second position of a group of four data characters is skipped;
 *       in the third or fourth position it counts, and once the pads complete the group, decoding
 *       stops and everything after is ignored; a data character between two pads resets the pad
 *       count, as in CPython;</li>
 *   <li>bits left over in a final group are dropped, not checked;</li>
 *   <li>a last group of one data character is an error; a last group of two or three without
 *       the pads that complete it is an error ("Incorrect padding");</li>
 *   <li>text ({@code char[]} or {@link CharSequence}) with any non-ASCII character is an error,
 *       because the peer's {@code b64decode} raises {@code ValueError} for a non-ASCII
 *       {@code str}; the {@code byte[]} overloads act like {@code b64decode(bytes)} and skip such
 *       bytes.</li>
 * </ul>
 * Well-formed input (a length that is a multiple of four, only alphabet characters, final pads)
 * takes a fast path through {@link java.util.Base64}; anything else, or anything that fast path
 * refuses, is decoded by a two-pass loop that first counts the output exactly, checks it against
 * the caller's limit and only then allocates. Errors raise {@link CorruptPayloadException} naming
 * the problem and the index in the input; output over the limit raises
 * {@link PayloadTooLargeException}.
 *
 * <p>Stateless and thread-safe; it never keeps or changes the caller's arrays.
 */
public final class Base64Codec {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
  private static final byte PAD = '=';
  /** Value of each byte in the alphabet; -1 for every other byte. */
  private static final byte[] DECODE = new byte[256];
  /** Two output characters for each 12-bit group, as a big-endian pair. */
  private static final int[] PAIRS = new int[4096];
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  /** Chunk of input bytes encoded through the JDK at once; a multiple of 3 that stays in L1/L2. */
  private static final int ENCODE_CHUNK = 3 * 4096;
  /** Chunk of characters decoded through the JDK at once; a multiple of 4. */
  private static final int DECODE_CHUNK = 4 * 4096;
  private static final ThreadLocal<byte[][]> DECODE_SCRATCH = ThreadLocal.withInitial(
      () -> new byte[][] {new byte[DECODE_CHUNK], new byte[DECODE_CHUNK / 4 * 3]});
  /** Largest array size the JVM reliably allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final Base64.Encoder JDK_ENCODER = Base64.getEncoder();
  private static final Base64.Decoder JDK_DECODER = Base64.getDecoder();

  static {
    java.util.Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
    }
    for (int i = 0; i < PAIRS.length; i++) {
      PAIRS[i] = (ALPHABET[i >>> 6] & 0xFF) << 8 | (ALPHABET[i & 63] & 0xFF);
    }
  }

  private Base64Codec() {}

  // ---------------------------------------------------------------- encoding

  /**
   * {@return the number of characters (bytes) the encoding of {@code n} input bytes takes: {@code 4 * ceil(n
   * / 3)}}
   * Throws {@link IllegalArgumentException} when {@code n} is negative or the result would not
   * fit in an array.
   *
   * @param n number of input bytes
   */
  public static int encodedLength(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("input length must not be negative, got " + n);
    }
    long length = 4L * ((n + 2L) / 3);
    if (length > MAX_ARRAY) {
      throw new IllegalArgumentException("base64 of " + n + " bytes needs " + length
          + " characters, more than an array holds");
    }
    return (int) length;
  }

  private static final ThreadLocal<byte[][]> ENCODE_SCRATCH = ThreadLocal.withInitial(
      () -> new byte[][] {new byte[ENCODE_CHUNK], new byte[ENCODE_CHUNK / 3 * 4]});

  /**
   * Encodes {@code src[off, off+len)} into {@code dst} from {@code dstOff}, which needs
   * {@link #encodedLength(int) encodedLength(len)} bytes of room; returns that length.
   *
   * @param src the input
   * @param off index of the first input element
   * @param len number of input elements
   * @param dst the output array
   * @param dstOff index of the first output byte
   * @return the number of bytes written
   */
  public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.checkFromIndexSize(off, len, src.length);
    int outLength = encodedLength(len);
    if (dstOff < 0 || dstOff > dst.length || dst.length - dstOff < outLength) {
      throw new IllegalArgumentException("base64 of " + len + " bytes needs " + outLength
          + " bytes of room, but the destination of " + dst.length + " bytes has "
          + Math.max(0, dst.length - Math.max(0, dstOff)) + " from offset " + dstOff);
    }
    if (off == 0 && len == src.length && dstOff == 0) {
      return JDK_ENCODER.encode(src, dst);
    }
    int pos = off;
    int out = dstOff;
    int end = off + len;
    if (len >= ENCODE_CHUNK) {
      // The JDK's vectorised loop takes whole arrays only: stage chunks through this thread's
      // scratch arrays, so steady-state encoding allocates nothing.
      byte[][] scratch = ENCODE_SCRATCH.get();
      byte[] in = scratch[0];
      byte[] chars = scratch[1];
      while (end - pos >= ENCODE_CHUNK) {
        System.arraycopy(src, pos, in, 0, ENCODE_CHUNK);
        int n = JDK_ENCODER.encode(in, chars);
        System.arraycopy(chars, 0, dst, out, n);
        pos += ENCODE_CHUNK;
        out += n;
      }
    }
    out = encodeTail(src, pos, end, dst, out);
    return out - dstOff;
  }

  /** Table-driven encoding of a short run, with padding; returns the new output position. */
  private static int encodeTail(byte[] src, int pos, int end, byte[] dst, int out) {
    int whole = pos + (end - pos) / 3 * 3;
    for (; pos < whole; pos += 3) {
      int bits = (src[pos] & 0xFF) << 16 | (src[pos + 1] & 0xFF) << 8 | (src[pos + 2] & 0xFF);
      INT_BE.set(dst, out, PAIRS[bits >>> 12] << 16 | PAIRS[bits & 0xFFF]);
      out += 4;
    }
    int rest = end - pos;
    if (rest > 0) {
      int bits = (src[pos] & 0xFF) << 16 | (rest == 2 ? (src[pos + 1] & 0xFF) << 8 : 0);
      dst[out] = ALPHABET[bits >>> 18];
      dst[out + 1] = ALPHABET[(bits >>> 12) & 63];
      dst[out + 2] = rest == 2 ? ALPHABET[(bits >>> 6) & 63] : PAD;
      dst[out + 3] = PAD;
      out += 4;
    }
    return out;
  }

  /**
   * {@return the base64 text of a whole array}
   *
   * @param src the input
   */
  public static String encodeToString(byte[] src) {
    Objects.requireNonNull(src, "src");
    return encodeToString(src, 0, src.length);
  }

  /**
   * {@return the base64 text of {@code src[off, off+len)}}
   *
   * @param src the input
   * @param off index of the first input element
   * @param len number of input elements
   */
  public static String encodeToString(byte[] src, int off, int len) {
    Objects.requireNonNull(src, "src");
    byte[] out = new byte[encodedLength(len)];
    encode(src, off, len, out, 0);
    // Latin-1 decoding of ASCII is a plain copy into a compact string.
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes a whole array as {@code b64decode(bytes)} does, with no limit beyond array size.
   *
   * @param src the input
   * @return the decoded bytes
   */
  public static byte[] decode(byte[] src) {
    Objects.requireNonNull(src, "src");
    return decode(src, 0, src.length, MAX_ARRAY);
  }

  /**
   * Decodes {@code src[off, off+len)} as {@code b64decode(bytes)} does: non-ASCII bytes are
   * skipped like any other byte outside the alphabet. Output longer than
   * {@code maxDecodedBytes} raises {@link PayloadTooLargeException} before it is allocated.
   *
   * @param src the input
   * @param off index of the first input element
   * @param len number of input elements
   * @param maxDecodedBytes the longest decoded output accepted
   * @return the decoded bytes
   */
  public static byte[] decode(byte[] src, int off, int len, int maxDecodedBytes) {
    Objects.requireNonNull(src, "src");
    Objects.checkFromIndexSize(off, len, src.length);
    checkMax(maxDecodedBytes);
    byte[] fast = fastDecode(src, off, len, maxDecodedBytes);
    return fast != null ? fast : lenientDecode(src, off, len, maxDecodedBytes);
  }

  /**
   * {@return the room {@link #decode(byte[], int, int, byte[], int)} needs for {@code len}
   * characters of text}
   *
   * @param len number of input elements
   */
  public static int maxDecodedLength(int len) {
    if (len < 0) {
      throw new IllegalArgumentException("length must not be negative, got " + len);
    }
    return len / 4 * 3 + 2;
  }

  /**
   * Decodes {@code src[off, off+len)} as {@code b64decode(bytes)} does into {@code dst} from
   * {@code dstOff}, which needs {@link #maxDecodedLength(int) maxDecodedLength(len)} bytes of
   * room; returns the decoded length. Well-formed input allocates nothing, so a receiver that
   * reuses {@code dst} decodes with no garbage per frame. On a {@link CorruptPayloadException}
   * the contents of {@code dst} are unspecified.
   *
   * @param src the input
   * @param off index of the first input element
   * @param len number of input elements
   * @param dst the output array
   * @param dstOff index of the first output byte
   * @return the number of bytes written
   */
  public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.checkFromIndexSize(off, len, src.length);
    int room = maxDecodedLength(len);
    if (dstOff < 0 || dstOff > dst.length || dst.length - dstOff < room) {
      throw new IllegalArgumentException("decoding " + len + " base64 characters needs " + room
          + " bytes of room, but the destination of " + dst.length + " bytes has "
          + Math.max(0, dst.length - Math.max(0, dstOff)) + " from offset " + dstOff);
    }
    if (len % 4 == 0) {
      int pads = len == 0 ? 0 : (src[off + len - 1] == PAD ? 1 : 0) + (len > 1 && src[off + len - 2] == PAD ? 1 : 0);
      if (fastDecodeInto(src, off, len, dst, dstOff)) {
        return wellFormedSize(len, pads);
      }
    }
    return lenientPass(src, off, len, dst, dstOff);
  }

  /**
   * Decodes text as {@code b64decode(str)} does, with no limit beyond array size.
   *
   * @param text the base64 text
   * @return the decoded bytes
   */
  public static byte[] decode(CharSequence text) {
    return decode(text, MAX_ARRAY);
  }

  /**
   * Decodes text as {@code b64decode(str)} does; any non-ASCII character is an error.
   *
   * @param text the base64 text
   * @param maxDecodedBytes the longest decoded output accepted
   * @return the decoded bytes
   */
  public static byte[] decode(CharSequence text, int maxDecodedBytes) {
    Objects.requireNonNull(text, "text");
    char[] chars = text.toString().toCharArray();
    return decode(chars, 0, chars.length, maxDecodedBytes);
  }

  /**
   * Decodes {@code src[off, off+len)} as {@code b64decode(str)} does; any non-ASCII character is
   * an error. Output longer than {@code maxDecodedBytes} raises {@link PayloadTooLargeException}
   * before it is allocated.
   *
   * @param src the input
   * @param off index of the first input element
   * @param len number of input elements
   * @param maxDecodedBytes the longest decoded output accepted
   * @return the decoded bytes
   */
  public static byte[] decode(char[] src, int off, int len, int maxDecodedBytes) {
    Objects.requireNonNull(src, "src");
    Objects.checkFromIndexSize(off, len, src.length);
    checkMax(maxDecodedBytes);
    byte[] fast = fastDecode(src, off, len, maxDecodedBytes);
    if (fast != null) {
      return fast;
    }
    byte[] ascii = new byte[len];
    for (int i = 0; i < len; i++) {
      char c = src[off + i];
      if (c > 0x7F) {
        throw new CorruptPayloadException(String.format(
            "invalid base64: non-ASCII character U+%04X at index %d (the peer's b64decode rejects non-ASCII text)",
            (int) c, i));
      }
      ascii[i] = (byte) c;
    }
    return lenientDecode(ascii, 0, len, maxDecodedBytes);
  }

  private static void checkMax(int maxDecodedBytes) {
    if (maxDecodedBytes < 0) {
      throw new IllegalArgumentException("maxDecodedBytes must not be negative, got " + maxDecodedBytes);
    }
  }

  /** Output size of well-formed text of length {@code len} ending in {@code pads} pads. */
  private static int wellFormedSize(int len, int pads) {
    return len / 4 * 3 - pads;
  }

  /**
   * Decodes well-formed input through the JDK; returns null, having written nothing the caller
   * sees, when the input is not well-formed, so that the lenient decoder decides.
   */
  private static byte[] fastDecode(byte[] src, int off, int len, int max) {
    if (len % 4 != 0) {
      return null;
    }
    int pads = len == 0 ? 0 : (src[off + len - 1] == PAD ? 1 : 0) + (len > 1 && src[off + len - 2] == PAD ? 1 : 0);
    int size = wellFormedSize(len, pads);
    if (size > max) {
      return null; // not necessarily too large: skipped characters shrink it; let the exact count decide
    }
    byte[] out = new byte[size];
    try {
      if (off == 0 && len == src.length) {
        return JDK_DECODER.decode(src, out) == size ? out : null;
      }
      return fastDecodeInto(src, off, len, out, 0) ? out : null;
    } catch (IllegalArgumentException notWellFormed) {
      return null;
    }
  }

  /**
   * The well-formed fast path into {@code out} from {@code o}, staging whole chunks through this
   * thread's scratch arrays (the JDK's vectorised decoder takes whole arrays); false, having
   * possibly written part of {@code out}, when the input is not well-formed.
   */
  private static boolean fastDecodeInto(byte[] src, int off, int len, byte[] out, int o) {
    try {
      byte[][] scratch = DECODE_SCRATCH.get();
      byte[] in = scratch[0];
      byte[] bytes = scratch[1];
      int pos = off;
      int end = off + len;
      while (end - pos > DECODE_CHUNK) {
        System.arraycopy(src, pos, in, 0, DECODE_CHUNK);
        if (!decodeFullChunk(in, bytes, out, o)) {
          return false;
        }
        pos += DECODE_CHUNK;
        o += DECODE_CHUNK / 4 * 3;
      }
      return strictDecodeLast(src, pos, end, out, o);
    } catch (IllegalArgumentException notWellFormed) {
      return false;
    }
  }

  /** Like {@link #fastDecode(byte[], int, int, int)}, narrowing ASCII characters chunk by chunk. */
  private static byte[] fastDecode(char[] src, int off, int len, int max) {
    if (len % 4 != 0) {
      return null;
    }
    int pads = len == 0 ? 0 : (src[off + len - 1] == PAD ? 1 : 0) + (len > 1 && src[off + len - 2] == PAD ? 1 : 0);
    int size = wellFormedSize(len, pads);
    if (size > max) {
      return null;
    }
    byte[] out = new byte[size];
    byte[] in = new byte[Math.min(len, DECODE_CHUNK)];
    byte[] bytes = new byte[in.length / 4 * 3];
    CharsetEncoder latin1 = StandardCharsets.ISO_8859_1.newEncoder();
    int pos = off;
    int end = off + len;
    int o = 0;
    try {
      while (pos < end) {
        int n = Math.min(DECODE_CHUNK, end - pos);
        if (!narrow(latin1, src, pos, n, in)) {
          return null;
        }
        boolean last = pos + n == end;
        if (last ? !strictDecodeLast(in, 0, n, out, o) : !decodeFullChunk(in, bytes, out, o)) {
          return null;
        }
        pos += n;
        o += n / 4 * 3;
      }
      return out;
    } catch (IllegalArgumentException notWellFormed) {
      return null;
    }
  }

  /**
   * Copies characters into bytes with the JDK's vectorised Latin-1 encoder; false for a character
   * above U+00FF. Characters U+0080..U+00FF become bytes outside the alphabet, which the strict
   * decoders refuse, so any non-ASCII text ends on the lenient path, which reports it.
   */
  private static boolean narrow(CharsetEncoder latin1, char[] src, int pos, int n, byte[] dst) {
    ByteBuffer out = ByteBuffer.wrap(dst, 0, n);
    CoderResult r = latin1.reset().encode(CharBuffer.wrap(src, pos, n), out, true);
    return !r.isError() && out.position() == n;
  }

  /**
   * Decodes a full, non-final chunk through the JDK. A chunk that decodes to fewer bytes held
   * pads: in the middle of the input they mean something the lenient decoder must judge.
   */
  private static boolean decodeFullChunk(byte[] in, byte[] bytes, byte[] out, int o) {
    int n = JDK_DECODER.decode(in, bytes);
    if (n != DECODE_CHUNK / 4 * 3) {
      return false;
    }
    System.arraycopy(bytes, 0, out, o, n);
    return true;
  }

  /**
   * Decodes the last (at most one chunk) run of a well-formed input, whose final group may end in
   * one or two pads; false at the first character that is not so.
   */
  private static boolean strictDecodeLast(byte[] src, int pos, int end, byte[] out, int o) {
    for (; pos < end; pos += 4) {
      int a = DECODE[src[pos] & 0xFF];
      int b = DECODE[src[pos + 1] & 0xFF];
      int c = DECODE[src[pos + 2] & 0xFF];
      int d = DECODE[src[pos + 3] & 0xFF];
      if ((a | b | c | d) >= 0) {
        int bits = a << 18 | b << 12 | c << 6 | d;
        out[o] = (byte) (bits >>> 16);
        out[o + 1] = (byte) (bits >>> 8);
        out[o + 2] = (byte) bits;
        o += 3;
        continue;
      }
      if (pos + 4 != end || (a | b) < 0) {
        return false;
      }
      if (c >= 0 && src[pos + 3] == PAD) {
        int bits = a << 18 | b << 12 | c << 6;
        out[o] = (byte) (bits >>> 16);
        out[o + 1] = (byte) (bits >>> 8);
        return true;
      }
      if (src[pos + 2] == PAD && src[pos + 3] == PAD) {
        out[o] = (byte) ((a << 2) | (b >>> 4));
        return true;
      }
      return false;
    }
    return true;
  }

  /**
   * CPython's non-strict {@code a2b_base64}: one pass counts the output exactly and finds any
   * error, then the output is allocated and a second pass fills it.
   */
  private static byte[] lenientDecode(byte[] src, int off, int len, int max) {
    int size = lenientPass(src, off, len, null, 0);
    if (size > max) {
      throw new PayloadTooLargeException("base64 text decodes to " + size
          + " bytes, more than the limit of " + max);
    }
    byte[] out = new byte[size];
    lenientPass(src, off, len, out, 0);
    return out;
  }

  /** Runs the decoder state machine; writes to {@code out} unless it is null; returns the size. */
  private static int lenientPass(byte[] src, int off, int len, byte[] out, int outOff) {
    int quadPos = 0;
    int leftChar = 0;
    int pads = 0;
    int o = outOff;
    int lastData = -1;
    long dataChars = 0;
    for (int i = 0; i < len; i++) {
      int ch = src[off + i] & 0xFF;
      if (ch == PAD) {
        // As CPython: pads count only in the 3rd and 4th position of a group; when they complete
        // it, decoding ends and the rest of the input is ignored.
        if (quadPos >= 2 && quadPos + ++pads >= 4) {
          return o - outOff;
        }
        continue;
      }
      int v = DECODE[ch];
      if (v < 0) {
        continue;
      }
      pads = 0;
      lastData = i;
      dataChars++;
      switch (quadPos) {
        case 0 -> {
          quadPos = 1;
          leftChar = v;
        }
        case 1 -> {
          quadPos = 2;
          if (out != null) {
            out[o] = (byte) (leftChar << 2 | v >>> 4);
          }
          o++;
          leftChar = v & 0x0F;
        }
        case 2 -> {
          quadPos = 3;
          if (out != null) {
            out[o] = (byte) (leftChar << 4 | v >>> 2);
          }
          o++;
          leftChar = v & 0x03;
        }
        default -> {
          quadPos = 0;
          if (out != null) {
            out[o] = (byte) (leftChar << 6 | v);
          }
          o++;
          leftChar = 0;
        }
      }
    }
    if (quadPos == 1) {
      throw new CorruptPayloadException("invalid base64: the number of data characters ("
          + dataChars + ") cannot be 1 more than a multiple of 4; the last one is at index " + lastData);
    }
    if (quadPos != 0) {
      throw new CorruptPayloadException("invalid base64: incorrect padding: the text ends at index "
          + len + " inside a group of " + quadPos + " data characters (last one at index "
          + lastData + ") that no '=' padding completes");
    }
    return o - outOff;
  }
}
