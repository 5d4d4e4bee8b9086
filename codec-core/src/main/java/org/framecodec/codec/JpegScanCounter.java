package org.framecodec.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Counts the scans (SOS markers) of a JPEG and its bytes of scan data by walking its marker
 * segments and skipping its entropy-coded data, without decoding: what a progressive payload will
 * cost is known before a decoder spends it, and a payload far too short for the size it declares
 * (the 629-byte "6320x6320" bomb) is refused before a frame of that size is allocated. Used by {@link AbstractJpegCodec} for both backends, so that the scan and
 * work limits of {@link org.framecodec.Limits} give the same verdict on either, and by
 * {@link JpegHeaders#scanCount} for services that budget a request before decoding any of it.
 *
 * <p>Entropy-coded data is skipped the way a decoder's marker reader does: {@code FF 00} is a
 * stuffed byte, {@code FF D0..D7} a restart marker, {@code FF FF} fill; any other {@code FF xx}
 * ends the data. The walk stops at EOI, at the end of the range, or at a segment whose length
 * runs past the end: a damaged payload is counted up to the damage and left to the decoder to
 * refuse. One pass, no allocation; never reads outside the given range. Stateless.
 */
final class JpegScanCounter {
  private JpegScanCounter() {}

  /**
   * What the walk found.
   *
   * @param scans SOS markers
   * @param entropyBytes bytes of entropy-coded data after them (stuffing included)
   * @param minEntropyBits the fewest bits any Huffman-coded JPEG with this frame header needs:
   *     one per 8x8 block of every component, since each block's DC coefficient is coded with a
   *     Huffman code of at least one bit; 0 when no frame header was found
   */
  record Scans(int scans, long entropyBytes, long minEntropyBits) {
    /** True when there is provably too little scan data for the declared size (truncated). */
    boolean tooShort() {
      return entropyBytes * 8 < minEntropyBits;
    }
  }

  /** Scans in {@code jpeg}, which must start with SOI (the header reader has checked it). */
  static int count(ByteRegion jpeg) {
    return walk(jpeg).scans();
  }

  /** The whole walk of {@code jpeg}, which must start with SOI. */
  static Scans walk(ByteRegion jpeg) {
    int end = jpeg.length();
    int pos = 2;
    int scans = 0;
    long entropy = 0;
    long minBits = 0;
    while (pos + 1 < end) {
      if (u8(jpeg, pos) != 0xFF) {
        break; // not at a marker: damaged, the decoder will say so
      }
      int m = u8(jpeg, pos + 1);
      if (m == 0xFF) {
        pos++; // fill byte before a marker
        continue;
      }
      pos += 2;
      if (m == 0xD9) {
        break;
      }
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
        continue; // standalone markers carry no length
      }
      if (pos + 2 > end) {
        break;
      }
      int segment = (u8(jpeg, pos) << 8) | u8(jpeg, pos + 1);
      if (segment < 2 || segment > end - pos) {
        break;
      }
      if ((m == 0xC0 || m == 0xC1 || m == 0xC2) && minBits == 0) {
        minBits = blocks(jpeg, pos, segment);
      }
      pos += segment;
      if (m == 0xDA) {
        scans++;
        int dataEnd = skipEntropyData(jpeg, pos, end);
        entropy += dataEnd - pos;
        pos = dataEnd;
      }
    }
    return new Scans(scans, entropy, minBits);
  }

  /** 8x8 blocks of all components of a frame header at {@code pos} (its length field); 0 if malformed. */
  private static long blocks(ByteRegion r, int pos, int segment) {
    if (segment < 8) {
      return 0;
    }
    int height = (u8(r, pos + 3) << 8) | u8(r, pos + 4);
    int width = (u8(r, pos + 5) << 8) | u8(r, pos + 6);
    int n = u8(r, pos + 7);
    if (n < 1 || segment < 8 + 3 * n) {
      return 0;
    }
    int hmax = 1;
    int vmax = 1;
    for (int i = 0; i < n; i++) {
      int f = u8(r, pos + 9 + 3 * i);
      hmax = Math.max(hmax, f >> 4);
      vmax = Math.max(vmax, f & 15);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      int f = u8(r, pos + 9 + 3 * i);
      int h = Math.max(1, f >> 4);
      int v = Math.max(1, f & 15);
      long w = ((long) width * h + hmax - 1) / hmax;
      long ht = ((long) height * v + vmax - 1) / vmax;
      total += ((w + 7) / 8) * ((ht + 7) / 8);
    }
    return total;
  }

  /** The index of the marker that ends the entropy-coded data starting at {@code pos}, or {@code end}. */
  static int skipEntropyData(ByteRegion r, int pos, int end) {
    while (pos < end) {
      pos = indexOfFF(r, pos, end);
      if (pos + 1 >= end) {
        return end;
      }
      int next = u8(r, pos + 1);
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        pos += 2;
      } else if (next == 0xFF) {
        pos++;
      } else {
        return pos;
      }
    }
    return end;
  }

  private static final VarHandle ARRAY_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BUFFER_LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The first {@code FF} byte in [pos, end), or {@code end}. Eight bytes at a time: the entropy
   * data is nearly all of a payload and a detector walks every payload before decoding it, so a
   * byte-at-a-time loop cost a fifth of a millisecond per 1080p frame, serially on the GPU lane.
   * A byte of {@code x} is {@code FF} where {@code ~x} has a zero byte; the classic zero-byte test
   * flags it exactly at the lowest such byte (higher flags can be borrow artefacts, never lower).
   */
  private static int indexOfFF(ByteRegion r, int pos, int end) {
    int base = r.offset();
    int i = pos;
    byte[] a = r.array();
    if (a != null) {
      for (; i + 8 <= end; i += 8) {
        long y = ~(long) ARRAY_LONGS.get(a, base + i);
        long t = (y - ONES) & ~y & HIGHS;
        if (t != 0) {
          return i + (Long.numberOfTrailingZeros(t) >>> 3);
        }
      }
    } else {
      ByteBuffer b = r.direct();
      for (; i + 8 <= end; i += 8) {
        long y = ~(long) BUFFER_LONGS.get(b, base + i);
        long t = (y - ONES) & ~y & HIGHS;
        if (t != 0) {
          return i + (Long.numberOfTrailingZeros(t) >>> 3);
        }
      }
    }
    for (; i < end; i++) {
      if (r.get(i) == (byte) 0xFF) {
        return i;
      }
    }
    return end;
  }

  private static int u8(ByteRegion r, int i) {
    return r.get(i) & 0xFF;
  }
}
