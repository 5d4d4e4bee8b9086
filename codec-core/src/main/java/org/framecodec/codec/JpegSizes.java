package org.framecodec.codec;

/**
 * Worst-case JPEG sizes, by libjpeg-turbo's {@code tjBufSize} rule: padded MCU area times
 * (2 + chroma factor) bytes plus 2048 for headers. Both backends size buffers with it.
 */
public final class JpegSizes {
  private JpegSizes() {}

  /**
   * {@return the upper bound of a JPEG's size; throws {@link IllegalArgumentException} for
   * non-positive or overflowing sizes}
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param options mode, quality and subsampling
   */
  public static int maxEncodedSize(int width, int height, EncodeOptions options) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame dimensions must be positive, got " + width + "x" + height);
    }
    int mcuW;
    int mcuH;
    int chromaFactor;
    if (options.mode() == JpegMode.GRAY) {
      mcuW = 8;
      mcuH = 8;
      chromaFactor = 0;
    } else {
      switch (options.subsampling()) {
        case S444 -> { mcuW = 8; mcuH = 8; chromaFactor = 4; }
        case S422 -> { mcuW = 16; mcuH = 8; chromaFactor = 2; }
        default -> { mcuW = 16; mcuH = 16; chromaFactor = 1; }
      }
    }
    long size = pad(width, mcuW) * pad(height, mcuH) * (2 + chromaFactor) + 2048;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a " + width + "x" + height + " JPEG may need " + size
          + " bytes, more than one buffer holds");
    }
    return (int) size;
  }

  private static long pad(long v, int p) {
    return (v + p - 1) / p * p;
  }
}
