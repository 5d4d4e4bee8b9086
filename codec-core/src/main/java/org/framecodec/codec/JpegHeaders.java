package org.framecodec.codec;

import java.nio.ByteBuffer;

/**
 * Reads what a JPEG's frame header declares (size, components, subsampling) and how many scans
 * it has by walking its marker segments, with no codec and no native code: for framing code that
 * must learn a bare JPEG's size before deciding anything else, and for services that budget a
 * request's decoding before starting it.
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

  /**
   * The number of scans (SOS markers) of the JPEG in {@code jpeg[offset, offset+length)}: 1 for a
   * baseline JPEG, several for a progressive one. Walks the whole payload once, skipping its
   * entropy-coded data without decoding it, so the decode work (scans x pixels, see
   * {@link org.framecodec.Limits#maxDecodeWork()}) is known before anything is decoded. A damaged
   * payload is counted up to the damage; refusing it is the decoder's job. The range must start
   * with a JPEG's SOI marker.
   *
   * @param jpeg the array
   * @param offset where the JPEG starts
   * @param length its length
   * @return the number of scans
   * @throws org.framecodec.CorruptPayloadException when it does not
   */
  public static int scanCount(byte[] jpeg, int offset, int length) {
    ByteRegion r = ByteRegion.of(jpeg, offset, length);
    if (length < 2 || r.get(0) != (byte) 0xFF || r.get(1) != (byte) 0xD8) {
      throw new org.framecodec.CorruptPayloadException(
          "not a JPEG: payload of " + length + " bytes does not start with the SOI marker FF D8");
    }
    return JpegScanCounter.count(r);
  }

  /**
   * Everything about decoding the JPEG in {@code jpeg[offset, offset+length)} that can be known
   * without decoding it, as the codecs check it before they allocate a frame: its scans and
   * scans x pixels against {@link org.framecodec.Limits#maxScans()} and
   * {@link org.framecodec.Limits#maxDecodeWork()}, and whether it holds enough scan data for the
   * size its header declares (one bit per 8x8 block at the very least). For services that budget a
   * request before handing it to a decoder. {@code info} is the payload's header
   * ({@link #read(byte[], int, int)}).
   *
   * @param jpeg the array
   * @param offset where the JPEG starts
   * @param length its length
   * @param info its header
   * @param limits the limits to check
   * @throws org.framecodec.PayloadTooLargeException over a limit
   * @throws org.framecodec.CorruptPayloadException when it is not a JPEG or is provably truncated
   */
  public static void checkBeforeDecode(byte[] jpeg, int offset, int length, JpegInfo info,
      org.framecodec.Limits limits) {
    ByteRegion r = ByteRegion.of(jpeg, offset, length);
    if (length < 2 || r.get(0) != (byte) 0xFF || r.get(1) != (byte) 0xD8) {
      throw new org.framecodec.CorruptPayloadException(
          "not a JPEG: payload of " + length + " bytes does not start with the SOI marker FF D8");
    }
    AbstractJpegCodec.checkScanData(JpegScanCounter.walk(r), info, limits);
  }
}
