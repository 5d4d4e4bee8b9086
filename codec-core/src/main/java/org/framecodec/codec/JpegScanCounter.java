package org.framecodec.codec;

/**
 * Counts the scans (SOS markers) of a JPEG by walking its marker segments and skipping its
 * entropy-coded data, without decoding: what a progressive payload will cost is known before a
 * decoder spends it. Used by {@link AbstractJpegCodec} for both backends, so that the scan and
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

  /** Scans in {@code jpeg}, which must start with SOI (the header reader has checked it). */
  static int count(ByteRegion jpeg) {
    int end = jpeg.length();
    int pos = 2;
    int scans = 0;
    while (pos + 1 < end) {
      if (u8(jpeg, pos) != 0xFF) {
        return scans; // not at a marker: damaged, the decoder will say so
      }
      int m = u8(jpeg, pos + 1);
      if (m == 0xFF) {
        pos++; // fill byte before a marker
        continue;
      }
      pos += 2;
      if (m == 0xD9) {
        return scans;
      }
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
        continue; // standalone markers carry no length
      }
      if (pos + 2 > end) {
        return scans;
      }
      int segment = (u8(jpeg, pos) << 8) | u8(jpeg, pos + 1);
      if (segment < 2 || segment > end - pos) {
        return scans;
      }
      pos += segment;
      if (m == 0xDA) {
        scans++;
        pos = skipEntropyData(jpeg, pos, end);
      }
    }
    return scans;
  }

  /** The index of the marker that ends the entropy-coded data starting at {@code pos}, or {@code end}. */
  private static int skipEntropyData(ByteRegion r, int pos, int end) {
    while (pos < end) {
      if (r.get(pos) != (byte) 0xFF) {
        pos++;
        continue;
      }
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

  private static int u8(ByteRegion r, int i) {
    return r.get(i) & 0xFF;
  }
}
