package org.framecodec.codec;

import java.util.Objects;

/**
 * How to encode one frame: {@link JpegMode}, quality 1..100 and chroma {@link Subsampling}.
 *
 * <p>Immutable and thread-safe; validated at construction, so a bad quality fails here with the
 * value in the message rather than inside a codec. The defaults match OpenCV's {@code imencode}:
 * 4:2:0, baseline Huffman tables, accurate integer DCT, no restart markers.
 */
public final class EncodeOptions {
  private final JpegMode mode;
  private final int quality;
  private final Subsampling subsampling;

  private EncodeOptions(JpegMode mode, int quality, Subsampling subsampling) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.subsampling = Objects.requireNonNull(subsampling, "subsampling");
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
    }
    this.quality = quality;
  }

  /**
   * {@return options with 4:2:0 subsampling}
   *
   * @param mode the JPEG mode the payload was made in
   * @param quality JPEG quality, 1 to 100
   */
  public static EncodeOptions of(JpegMode mode, int quality) {
    return new EncodeOptions(mode, quality, Subsampling.S420);
  }

  /**
   * {@return options with the given mode, quality and chroma subsampling}
   *
   * @param mode the colour handling
   * @param quality JPEG quality, 1 to 100
   * @param subsampling chroma subsampling; ignored in {@code gray} mode
   */
  public static EncodeOptions of(JpegMode mode, int quality, Subsampling subsampling) {
    return new EncodeOptions(mode, quality, subsampling);
  }

  /**
   * {@return options for the Python peer's recipe at the given quality}
   *
   * @param quality JPEG quality, 1 to 100
   */
  public static EncodeOptions cv2Yuv(int quality) {
    return of(JpegMode.CV2_YUV, quality);
  }

  /**
   * {@return options for standard JPEG at the given quality and subsampling}
   *
   * @param quality JPEG quality, 1 to 100
   * @param subsampling chroma subsampling of the colour planes
   */
  public static EncodeOptions ycbcr(int quality, Subsampling subsampling) {
    return of(JpegMode.YCBCR, quality, subsampling);
  }

  /**
   * {@return options for grayscale JPEG at the given quality}
   *
   * @param quality JPEG quality, 1 to 100
   */
  public static EncodeOptions gray(int quality) {
    return of(JpegMode.GRAY, quality);
  }

  /** {@return the colour handling} */
  public JpegMode mode() {
    return mode;
  }

  /** {@return the JPEG quality, 1 to 100} */
  public int quality() {
    return quality;
  }

  /** {@return the chroma subsampling; ignored in {@link JpegMode#GRAY} mode} */
  public Subsampling subsampling() {
    return subsampling;
  }

  /**
   * {@return these options at another quality}
   *
   * @param newQuality JPEG quality, 1 to 100
   */
  public EncodeOptions withQuality(int newQuality) {
    return new EncodeOptions(mode, newQuality, subsampling);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodeOptions e && e.mode == mode && e.quality == quality
        && e.subsampling == subsampling;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, quality, subsampling);
  }

  @Override
  public String toString() {
    return mode.wireName() + " q" + quality + (mode == JpegMode.GRAY ? "" : " " + subsampling.label());
  }
}
