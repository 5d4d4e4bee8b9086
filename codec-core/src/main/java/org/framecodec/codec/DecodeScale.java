package org.framecodec.codec;

/**
 * How much smaller than the JPEG a decode may produce: 1/1, 1/2, 1/4 or 1/8 of its width and
 * height, each rounded up. These are the factors libjpeg-turbo scales by in the inverse DCT
 * with SIMD code, so a scaled decode skips most of the full-size work: only the entropy decode
 * still reads every coefficient. OpenCV's {@code IMREAD_REDUCED_*} flags use the same factors
 * and rounding.
 *
 * <p>For a model of fixed input size, {@link #coarsestCovering} picks the smallest image that
 * still holds every pixel the model will see, so nothing is lost to the scaling that the resize
 * to the model's input would not lose anyway.
 */
public enum DecodeScale {
  /** Full size. */
  FULL(1),
  /** Half the width and height. */
  HALF(2),
  /** A quarter of the width and height. */
  QUARTER(4),
  /** An eighth of the width and height. */
  EIGHTH(8);

  private final int denominator;

  DecodeScale(int denominator) {
    this.denominator = denominator;
  }

  /** {@return the denominator: 1, 2, 4 or 8} */
  public int denominator() {
    return denominator;
  }

  /**
   * {@return a width or height after scaling: {@code ceil(size / denominator)}}
   *
   * @param size the full-size width or height, positive
   */
  public int scale(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + size);
    }
    return (int) (((long) size + denominator - 1) / denominator);
  }

  /**
   * {@return the coarsest scale whose output of a {@code width x height} JPEG is still at least
   * {@code minWidth x minHeight}; {@link #FULL} when no smaller one is}
   *
   * @param width the JPEG's width
   * @param height the JPEG's height
   * @param minWidth the least width the output may have
   * @param minHeight the least height the output may have
   */
  public static DecodeScale coarsestCovering(int width, int height, int minWidth, int minHeight) {
    if (minWidth <= 0 || minHeight <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + minWidth + "x" + minHeight);
    }
    DecodeScale[] all = values();
    for (int i = all.length - 1; i > 0; i--) {
      if (all[i].scale(width) >= minWidth && all[i].scale(height) >= minHeight) {
        return all[i];
      }
    }
    return FULL;
  }

  /**
   * {@return the scale with this denominator}
   *
   * @param denominator 1, 2, 4 or 8; any other is an {@link IllegalArgumentException}
   */
  public static DecodeScale ofDenominator(int denominator) {
    for (DecodeScale s : values()) {
      if (s.denominator == denominator) {
        return s;
      }
    }
    throw new IllegalArgumentException("decode scale must be 1/1, 1/2, 1/4 or 1/8, got 1/" + denominator);
  }

  @Override
  public String toString() {
    return "1/" + denominator;
  }
}
