package org.framecodec.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a frame lands inside the model input: the size it is resized to and the padding before it,
 * and the inverse mapping from model-input pixels back to frame pixels. Immutable.
 *
 * <pre>
 *   model input (inputWidth x inputHeight)
 *   +-------------------------------+
 *   |          padY rows            |
 *   |-------+---------------+-------|
 *   | padX  | resized frame |       |   resizedWidth  = frameWidth  * scaleX
 *   |       |               |       |   resizedHeight = frameHeight * scaleY
 *   |-------+---------------+-------|
 *   |                               |
 *   +-------------------------------+
 *   frame x = (input x - padX) / scaleX
 * </pre>
 *
 * @param resizedWidth width of the resized frame inside the input
 * @param resizedHeight height of the resized frame inside the input
 * @param padX columns of padding left of the frame
 * @param padY rows of padding above the frame
 * @param scaleX {@code resizedWidth / frameWidth}, the actual (rounded) horizontal scale
 * @param scaleY {@code resizedHeight / frameHeight}
 */
public record Letterbox(int resizedWidth, int resizedHeight, int padX, int padY, double scaleX,
    double scaleY) {

  /**
   * {@return the placement of a {@code frameWidth x frameHeight} frame in an input of {@code spec}}
   *
   * @param frameWidth frame width in pixels
   * @param frameHeight frame height in pixels
   * @param spec the model input
   */
  public static Letterbox of(int frameWidth, int frameHeight, InputSpec spec) {
    if (frameWidth <= 0 || frameHeight <= 0) {
      throw new IllegalArgumentException(
          "frame dimensions must be positive, got " + frameWidth + "x" + frameHeight);
    }
    int w = spec.width();
    int h = spec.height();
    if (spec.resize() == ResizeMode.STRETCH) {
      return new Letterbox(w, h, 0, 0, (double) w / frameWidth, (double) h / frameHeight);
    }
    double s = Math.min((double) w / frameWidth, (double) h / frameHeight);
    // Rounded, at least one pixel, and never past the input even when rounding goes up.
    int rw = (int) Math.min(w, Math.max(1, Math.round(frameWidth * s)));
    int rh = (int) Math.min(h, Math.max(1, Math.round(frameHeight * s)));
    return new Letterbox(rw, rh, (w - rw) / 2, (h - rh) / 2, (double) rw / frameWidth,
        (double) rh / frameHeight);
  }

  /**
   * {@return the frame x of a model-input x}
   *
   * @param inputX x in model-input pixels
   */
  public float toFrameX(float inputX) {
    return (float) ((inputX - padX) / scaleX);
  }

  /**
   * {@return the frame y of a model-input y}
   *
   * @param inputY y in model-input pixels
   */
  public float toFrameY(float inputY) {
    return (float) ((inputY - padY) / scaleY);
  }

  /**
   * {@return a detection in model-input pixels mapped to frame pixels, its box clipped to the
   * frame}
   *
   * @param d a detection in model-input pixels
   * @param frameWidth frame width in pixels
   * @param frameHeight frame height in pixels
   */
  public Detection toFrame(Detection d, int frameWidth, int frameHeight) {
    Box b = d.box();
    Box mapped = new Box(toFrameX(b.x1()), toFrameY(b.y1()), toFrameX(b.x2()), toFrameY(b.y2()))
        .clip(frameWidth, frameHeight);
    List<Keypoint> kps = new ArrayList<>(d.keypoints().size());
    for (Keypoint k : d.keypoints()) {
      kps.add(new Keypoint(toFrameX(k.x()), toFrameY(k.y())));
    }
    return new Detection(mapped, d.score(), d.classId(), kps);
  }
}
