package org.framecodec.codec;

/** Chroma subsampling of a colour JPEG. */
public enum Subsampling {
  /** No subsampling. */
  S444("444"),
  /** Chroma halved horizontally. */
  S422("422"),
  /** Chroma halved in both directions: OpenCV's and most cameras' default. */
  S420("420");

  private final String label;

  Subsampling(String label) {
    this.label = label;
  }

  /** {@return {@code 444}, {@code 422} or {@code 420}} */
  public String label() {
    return label;
  }

  /**
   * Parses {@code 444}, {@code 4:4:4}, {@code S444} and the like; throws {@link
   * IllegalArgumentException} naming the value.
   *
   * @param text the text to read
   * @return the subsampling
   */
  public static Subsampling parse(String text) {
    if (text != null) {
      String t = text.replace(":", "").replace("S", "").replace("s", "").trim();
      for (Subsampling s : values()) {
        if (s.label.equals(t)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown subsampling '" + text + "'; expected 444, 422 or 420");
  }
}
