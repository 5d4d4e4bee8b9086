package org.framecodec.codec;

import java.util.Locale;

/** What the three JPEG components of a payload mean, and so how a frame is turned into them. */
public enum JpegMode {
  /**
   * The Python peer's recipe: BGR is converted with OpenCV's {@code COLOR_BGR2YUV} (BT.601
   * coefficients, 14-bit fixed point), and the Y, U, V planes are compressed as if they were B, G,
   * R (so libjpeg converts them to "YCbCr" once more and subsamples the real luma). Decoding runs
   * the inverse, {@code COLOR_YUV2BGR}. Needed for wire compatibility; at equal bytes it keeps
   * less detail than {@link #YCBCR}.
   */
  CV2_YUV("cv2-yuv"),
  /** Standard JPEG: colour frames are stored as YCbCr with the chosen chroma subsampling. */
  YCBCR("ycbcr"),
  /** One luma component; colour frames are reduced to luma by the encoder. */
  GRAY("gray");

  private final String wireName;

  JpegMode(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the name used on the wire and on the command line, e.g. {@code cv2-yuv}} */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name (case-insensitive); throws {@link IllegalArgumentException} naming the
   * value.
   *
   * @param name the name to parse
   * @return the mode
   */
  public static JpegMode fromWireName(String name) {
    if (name != null) {
      String n = name.toLowerCase(Locale.ROOT);
      for (JpegMode m : values()) {
        if (m.wireName.equals(n)) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown JPEG mode '" + name + "'; expected cv2-yuv, ycbcr or gray");
  }

  /** {@return the wire code used by the raw container} */
  public int code() {
    return ordinal() + 1;
  }

  /**
   * {@return the inverse of {@link #code()}; throws {@link IllegalArgumentException} naming the
   * value}
   *
   * @param code the numeric code
   */
  public static JpegMode fromCode(int code) {
    if (code < 1 || code > values().length) {
      throw new IllegalArgumentException("unknown JPEG mode code " + code);
    }
    return values()[code - 1];
  }
}
