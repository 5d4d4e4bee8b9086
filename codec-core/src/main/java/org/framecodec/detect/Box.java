package org.framecodec.detect;

/**
 * An axis-aligned box in pixel coordinates: left, top, right, bottom, with {@code x1 <= x2} and
 * {@code y1 <= y2}. Coordinates are continuous: a box covering pixel columns 0..9 spans
 * {@code x1 = 0} to {@code x2 = 10}. Immutable.
 */
public record Box(float x1, float y1, float x2, float y2) {

  /**
   * Checks that the corners are ordered and not NaN.
   *
   * @param x1 left edge
   * @param y1 top edge
   * @param x2 right edge, at least {@code x1}
   * @param y2 bottom edge, at least {@code y1}
   */
  public Box {
    if (!(x1 <= x2) || !(y1 <= y2)) {
      throw new IllegalArgumentException(
          "box corners must be ordered (x1 <= x2, y1 <= y2) and not NaN, got (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
    }
  }

  /**
   * {@return the box with centre (cx, cy) and size w x h; negative sizes are taken as zero}
   *
   * @param cx centre x
   * @param cy centre y
   * @param w width, negative taken as 0
   * @param h height, negative taken as 0
   */
  public static Box ofCenter(float cx, float cy, float w, float h) {
    float hw = Math.max(w, 0f) / 2f;
    float hh = Math.max(h, 0f) / 2f;
    return new Box(cx - hw, cy - hh, cx + hw, cy + hh);
  }

  /** {@return the width, {@code x2 - x1}} */
  public float width() {
    return x2 - x1;
  }

  /** {@return the height, {@code y2 - y1}} */
  public float height() {
    return y2 - y1;
  }

  /** {@return the area, {@code width() * height()}} */
  public float area() {
    return width() * height();
  }

  /**
   * {@return the intersection over union; 0 when either box is empty}
   *
   * @param other the other box
   */
  public float iou(Box other) {
    float iw = Math.min(x2, other.x2) - Math.max(x1, other.x1);
    float ih = Math.min(y2, other.y2) - Math.max(y1, other.y1);
    if (iw <= 0 || ih <= 0) {
      return 0f;
    }
    float inter = iw * ih;
    float union = area() + other.area() - inter;
    return union <= 0 ? 0f : inter / union;
  }

  /**
   * {@return true when (x, y) lies inside the box or on its edge}
   *
   * @param x x in pixels
   * @param y y in pixels
   */
  public boolean contains(float x, float y) {
    return x >= x1 && x <= x2 && y >= y1 && y <= y2;
  }

  /**
   * {@return this box clipped to [0, width] x [0, height]}
   *
   * @param width right edge of the clip area
   * @param height bottom edge of the clip area
   */
  public Box clip(float width, float height) {
    float cx1 = clamp(x1, width);
    float cy1 = clamp(y1, height);
    return new Box(cx1, cy1, Math.max(cx1, clamp(x2, width)), Math.max(cy1, clamp(y2, height)));
  }

  private static float clamp(float v, float max) {
    return Math.max(0f, Math.min(v, max));
  }
}
