package org.framecodec.stream;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Keypoint;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Draws detections on a BGR frame in place, with OpenCV: each box as a rectangle, its score
 * above it, and its keypoints as dots. Coordinates are the frame's own pixels, as a {@link
 * org.framecodec.detect.Detector} returns them.
 *
 * <p>Line thickness defaults to 1/360 of the frame height, at least 2 px (2 px up to 720p, 3 at
 * 1080p), so boxes look alike at every resolution and survive 4:2:0 chroma subsampling. Immutable and thread-safe; drawing writes the caller's pixels,
 * so one frame must not be drawn on from two threads at once. Needs the optional OpenCV
 * dependency.
 */
public final class Annotator {
  private static final Annotator DEFAULTS = builder().build();

  private final int blue;
  private final int green;
  private final int red;
  private final int thickness;
  private final boolean scores;
  private final boolean keypoints;

  private Annotator(Builder b) {
    this.blue = b.blue;
    this.green = b.green;
    this.red = b.red;
    this.thickness = b.thickness;
    this.scores = b.scores;
    this.keypoints = b.keypoints;
  }

  /** {@return green boxes, scores and keypoints, thickness by frame height} */
  public static Annotator defaults() {
    return DEFAULTS;
  }

  /** {@return a builder holding the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Draws {@code detections} on {@code frame}, a BGR frame in a direct buffer (drawn in place) or
   * a Java array (drawn through a copy, then copied back).
   *
   * @param frame the BGR frame the detections were found in
   * @param detections its detections, in its pixel coordinates
   *
   * @throws IllegalArgumentException when the frame is not BGR
   */
  public void draw(Frame frame, List<Detection> detections) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(detections, "detections");
    if (frame.format() != PixelFormat.BGR) {
      throw new IllegalArgumentException("the annotator draws on BGR frames, got " + frame.format());
    }
    if (detections.isEmpty()) {
      return;
    }
    if (frame.isDirect()) {
      try (BytePointer base = new BytePointer(frame.buffer())) {
        // A pointer passed to native code means address + position: the frame's first byte.
        base.position(frame.offset());
        draw(base, frame.width(), frame.height(), frame.rowStride(), detections);
      }
      return;
    }
    byte[] a = frame.array();
    int rowBytes = frame.width() * 3;
    try (BytePointer copy = new BytePointer((long) rowBytes * frame.height())) {
      for (int y = 0; y < frame.height(); y++) {
        copy.position((long) y * rowBytes).put(a, frame.offset() + y * frame.rowStride(), rowBytes);
      }
      copy.position(0);
      draw(copy, frame.width(), frame.height(), rowBytes, detections);
      for (int y = 0; y < frame.height(); y++) {
        copy.position((long) y * rowBytes).get(a, frame.offset() + y * frame.rowStride(), rowBytes);
      }
    }
  }

  /** Draws on packed BGR pixels at {@code pixels} (native memory the caller owns). */
  void draw(BytePointer pixels, int width, int height, int stride, List<Detection> detections) {
    if (detections.isEmpty()) {
      return;
    }
    int t = thickness > 0 ? thickness : Math.max(2, Math.round(height / 360f));
    double fontScale = Math.max(0.4, height / 1440.0);
    try (Mat mat = new Mat(height, width, CV_8UC3, pixels, stride);
        Scalar colour = new Scalar(blue, green, red, 0)) {
      for (Detection d : detections) {
        Box b = d.box();
        try (Point p1 = new Point(Math.round(b.x1()), Math.round(b.y1()));
            Point p2 = new Point(Math.round(b.x2()) - 1, Math.round(b.y2()) - 1)) {
          rectangle(mat, p1, p2, colour, t, LINE_8, 0);
        }
        if (scores) {
          String label = String.format(Locale.ROOT, "%.2f", d.score());
          int ty = Math.max(Math.round(b.y1()) - 2 * t, (int) Math.ceil(22 * fontScale));
          try (Point org = new Point(Math.round(b.x1()), ty)) {
            putText(mat, label, org, FONT_HERSHEY_SIMPLEX, fontScale, colour, Math.max(1, t / 2),
                LINE_8, false);
          }
        }
        if (keypoints) {
          for (Keypoint k : d.keypoints()) {
            try (Point c = new Point(Math.round(k.x()), Math.round(k.y()))) {
              circle(mat, c, t + 1, colour, -1, LINE_8, 0);
            }
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Annotator{bgr " + blue + "," + green + "," + red + ", thickness "
        + (thickness > 0 ? thickness : "auto") + (scores ? ", scores" : "")
        + (keypoints ? ", keypoints" : "") + "}";
  }

  /** Collects an {@link Annotator}'s style; validated as set. Not thread-safe. */
  public static final class Builder {
    private int blue;
    private int green = 255;
    private int red;
    private int thickness;
    private boolean scores = true;
    private boolean keypoints = true;

    private Builder() {}

    /**
     * Sets the colour of boxes, labels and keypoints; default green.
     *
     * @param r red, 0..255
     * @param g green, 0..255
     * @param b blue, 0..255
     * @return this builder
     */
    public Builder colour(int r, int g, int b) {
      for (int v : new int[] {r, g, b}) {
        if (v < 0 || v > 255) {
          throw new IllegalArgumentException("colour components must be 0..255, got " + r + "," + g + "," + b);
        }
      }
      this.red = r;
      this.green = g;
      this.blue = b;
      return this;
    }

    /**
     * Sets the line thickness.
     *
     * @param value pixels, 1..50; 0 for automatic (frame height / 360, at least 2)
     * @return this builder
     */
    public Builder thickness(int value) {
      if (value < 0 || value > 50) {
        throw new IllegalArgumentException("thickness must be 0..50, got " + value);
      }
      this.thickness = value;
      return this;
    }

    /**
     * Sets whether each box's score is written above it; default true.
     *
     * @param value whether to label
     * @return this builder
     */
    public Builder scores(boolean value) {
      this.scores = value;
      return this;
    }

    /**
     * Sets whether keypoints are drawn; default true.
     *
     * @param value whether to draw them
     * @return this builder
     */
    public Builder keypoints(boolean value) {
      this.keypoints = value;
      return this;
    }

    /** {@return the annotator} */
    public Annotator build() {
      return new Annotator(this);
    }
  }
}
