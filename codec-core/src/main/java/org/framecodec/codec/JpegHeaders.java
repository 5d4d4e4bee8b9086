package org.framecodec.codec;

import java.nio.ByteBuffer;

/**
 * Reads what a JPEG's frame header declares (size, components, subsampling) by walking its
 * marker segments, with no codec and no native code: for framing code that must learn a bare
 * JPEG's size before deciding anything else.
 *
 * <p>Never reads outside the given range. A range that is not a JPEG, or is truncated before its
 * frame header, raises {@link org.framecodec.CorruptPayloadException}; a JPEG this library cannot
 * decode (arithmetic or lossless coding, 2 or 4 components, zero height) raises
 * {@link org.framecodec.UnsupportedPayloadException}. It does not check the size against any
 * {@link org.framecodec.Limits}; callers do. Stateless and thread-safe.
 */
public final class JpegHeaders {
  private JpegHeaders() {}

  /**
   * {@return the header of the JPEG in {@code jpeg[offset, offset+length)}}
   *
   * @param jpeg the JPEG payload
   * @param offset index of the first byte
   * @param length number of bytes
   */
  public static JpegInfo read(byte[] jpeg, int offset, int length) {
    return JpegHeaderParser.parse(ByteRegion.of(jpeg, offset, length));
  }

  /**
   * {@return the header of the JPEG between the buffer's position and limit; the position is
   * unchanged}
   *
   * @param jpeg the JPEG payload
   */
  public static JpegInfo read(ByteBuffer jpeg) {
    return JpegHeaderParser.parse(ByteRegion.forReading(jpeg));
  }
}
