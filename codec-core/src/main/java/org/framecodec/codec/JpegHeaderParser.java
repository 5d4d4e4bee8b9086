package org.framecodec.codec;

import org.framecodec.CorruptPayloadException;
import org.framecodec.UnsupportedPayloadException;

/**
 * Finds the frame header (SOFn) of a JPEG by walking its marker segments, without decoding.
 * Used where no native header reader exists (the OpenCV backend) and never reads outside the
 * given range: every segment length is checked against what is left.
 */
final class JpegHeaderParser {
  private JpegHeaderParser() {}

  static JpegInfo parse(ByteRegion jpeg) {
    int n = jpeg.length();
    if (n < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != 0xD8) {
      throw new CorruptPayloadException("not a JPEG: no SOI marker at the start of " + n + " bytes");
    }
    int pos = 2;
    while (true) {
      // Markers may be preceded by any number of 0xFF fill bytes.
      if (pos >= n || u8(jpeg, pos) != 0xFF) {
        throw new CorruptPayloadException("JPEG has no frame header before byte " + pos + " of " + n);
      }
      while (pos < n && u8(jpeg, pos) == 0xFF) {
        pos++;
      }
      if (pos >= n) {
        throw new CorruptPayloadException("JPEG ends inside a marker at byte " + pos);
      }
      int marker = u8(jpeg, pos++);
      if (marker == 0xD9 || marker == 0xDA) {
        throw new CorruptPayloadException("JPEG reaches " + (marker == 0xD9 ? "EOI" : "SOS")
            + " at byte " + (pos - 2) + " without a frame header");
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // standalone markers carry no length
      }
      if (pos + 2 > n) {
        throw new CorruptPayloadException("JPEG is truncated in the length of marker 0x"
            + Integer.toHexString(marker) + " at byte " + pos);
      }
      int length = (u8(jpeg, pos) << 8) | u8(jpeg, pos + 1);
      if (length < 2 || pos + length > n) {
        throw new CorruptPayloadException("JPEG marker 0x" + Integer.toHexString(marker) + " at byte "
            + (pos - 2) + " declares " + length + " bytes but " + (n - pos) + " remain");
      }
      if (isStartOfFrame(marker)) {
        return frameHeader(jpeg, pos, length, marker);
      }
      pos += length;
    }
  }

  private static boolean isStartOfFrame(int m) {
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
  }

  private static JpegInfo frameHeader(ByteRegion jpeg, int pos, int length, int marker) {
    if (length < 8) {
      throw new CorruptPayloadException("JPEG frame header of " + length + " bytes is too short");
    }
    int height = (u8(jpeg, pos + 3) << 8) | u8(jpeg, pos + 4);
    int width = (u8(jpeg, pos + 5) << 8) | u8(jpeg, pos + 6);
    int components = u8(jpeg, pos + 7);
    if (height == 0 || width == 0) {
      throw new UnsupportedPayloadException("JPEG declares a " + width + "x" + height
          + " frame; a zero height (DNL marker) is not supported");
    }
    if ((components != 1 && components != 3) || length < 8 + 3 * components) {
      throw new UnsupportedPayloadException("JPEG has " + components + " components; 1 or 3 are supported");
    }
    if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
      throw new UnsupportedPayloadException("JPEG process SOF" + (marker - 0xC0)
          + " (lossless or arithmetic coding) is not supported");
    }
    Subsampling s = null;
    if (components == 3) {
      int y = u8(jpeg, pos + 9);
      int cb = u8(jpeg, pos + 12);
      int cr = u8(jpeg, pos + 15);
      if (cb == 0x11 && cr == 0x11) {
        s = y == 0x11 ? Subsampling.S444 : y == 0x21 ? Subsampling.S422 : y == 0x22 ? Subsampling.S420 : null;
      }
    }
    return new JpegInfo(width, height, components, s);
  }

  private static int u8(ByteRegion r, int i) {
    return r.get(i) & 0xFF;
  }
}
