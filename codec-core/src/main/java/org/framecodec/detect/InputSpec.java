package org.framecodec.detect;

import java.util.Arrays;
import java.util.Objects;
import org.framecodec.frames.PixelFormat;

/**
 * What a model's input tensor wants: its size, {@link TensorLayout}, channel order, how uint8
 * pixels become floats, and how frames of other sizes are fitted to it.
 *
 * <p>Each channel value {@code v} in 0..255 becomes {@code (v - mean[c]) * scale[c]}, with
 * {@code c} the channel in the model's order. Padding added by {@link ResizeMode#LETTERBOX} is the
 * pixel value {@link #padValue()} before normalisation, so BlazeFace's zero padding becomes -1.
 *
 * <p>Immutable and thread-safe; validated when built. The presets {@link #blazeFace(int)} and
 * {@link #yoloV5(int, int)} match how those models were trained.
 */
public final class InputSpec {
  private final int width;
  private final int height;
  private final TensorLayout layout;
  private final PixelFormat channelOrder;
  private final float[] mean;
  private final float[] scale;
  private final ResizeMode resize;
  private final int padValue;
  private final Interpolation interpolation;

  private InputSpec(Builder b) {
    if (b.width <= 0 || b.height <= 0) {
      throw new IllegalArgumentException("input size must be positive, got " + b.width + "x" + b.height);
    }
    if ((long) b.width * b.height > 64L * 1024 * 1024) {
      throw new IllegalArgumentException("input size " + b.width + "x" + b.height + " is implausibly large for a detector");
    }
    if (b.channelOrder != PixelFormat.RGB && b.channelOrder != PixelFormat.BGR) {
      throw new IllegalArgumentException("channel order must be RGB or BGR, got " + b.channelOrder);
    }
    if (b.padValue < 0 || b.padValue > 255) {
      throw new IllegalArgumentException("pad value must be 0..255, got " + b.padValue);
    }
    for (int c = 0; c < 3; c++) {
      if (!Float.isFinite(b.mean[c]) || !Float.isFinite(b.scale[c]) || b.scale[c] == 0f) {
        throw new IllegalArgumentException("normalisation must be finite with non-zero scale, got mean "
            + Arrays.toString(b.mean) + ", scale " + Arrays.toString(b.scale));
      }
    }
    this.width = b.width;
    this.height = b.height;
    this.layout = Objects.requireNonNull(b.layout, "layout");
    this.channelOrder = b.channelOrder;
    this.mean = b.mean.clone();
    this.scale = b.scale.clone();
    this.resize = Objects.requireNonNull(b.resize, "resize");
    this.padValue = b.padValue;
    this.interpolation = Objects.requireNonNull(b.interpolation, "interpolation");
  }

  /**
   * {@return the input of MediaPipe BlazeFace: {@code size x size} NHWC RGB scaled to [-1, 1] ({@code v /
   * 127.5 - 1}),
   * letterboxed with black (MediaPipe pads with zeros too), bilinear}
   *
   * @param size the square input size in pixels
   */
  public static InputSpec blazeFace(int size) {
    return builder(size, size).layout(TensorLayout.NHWC).channelOrder(PixelFormat.RGB)
        .normalize(127.5f, 1f / 127.5f).resize(ResizeMode.LETTERBOX).padValue(0).build();
  }

  /**
   * {@return the input of an Ultralytics YOLOv5 ONNX export: NCHW RGB scaled to [0, 1], letterboxed with grey
   * 114 as its
   * {@code letterbox()} does, bilinear}
   *
   * @param width input width in pixels
   * @param height input height in pixels
   */
  public static InputSpec yoloV5(int width, int height) {
    return builder(width, height).layout(TensorLayout.NCHW).channelOrder(PixelFormat.RGB)
        .normalize(0f, 1f / 255f).resize(ResizeMode.LETTERBOX).padValue(114).build();
  }

  /**
   * {@return a builder for a {@code width x height} input; other settings start as {@link
   * #yoloV5}'s}
   *
   * @param width input width in pixels
   * @param height input height in pixels
   */
  public static Builder builder(int width, int height) {
    return new Builder(width, height);
  }

  /**
   * A builder holding this spec's settings.
   *
   * @return a builder holding these values
   */
  public Builder toBuilder() {
    Builder b = new Builder(width, height);
    b.layout = layout;
    b.channelOrder = channelOrder;
    b.mean = mean.clone();
    b.scale = scale.clone();
    b.resize = resize;
    b.padValue = padValue;
    b.interpolation = interpolation;
    return b;
  }

  /** {@return the input width in pixels} */
  public int width() {
    return width;
  }

  /** {@return the input height in pixels} */
  public int height() {
    return height;
  }

  /** {@return the tensor layout} */
  public TensorLayout layout() {
    return layout;
  }

  /**
   * {@return {@link PixelFormat#RGB} or {@link PixelFormat#BGR}: the order of channels in the
   * tensor}
   */
  public PixelFormat channelOrder() {
    return channelOrder;
  }

  /** {@return the per-channel mean, in the model's channel order (a copy)} */
  public float[] mean() {
    return mean.clone();
  }

  /** {@return the per-channel scale (1 / std), in the model's channel order (a copy)} */
  public float[] scale() {
    return scale.clone();
  }

  float mean(int c) {
    return mean[c];
  }

  float scale(int c) {
    return scale[c];
  }

  /** True when all three channels share one mean and one scale. */
  boolean uniformNormalisation() {
    return mean[0] == mean[1] && mean[1] == mean[2] && scale[0] == scale[1] && scale[1] == scale[2];
  }

  /** {@return how frames are fitted to the input size} */
  public ResizeMode resize() {
    return resize;
  }

  /** {@return the pixel value (0..255, before normalisation) of letterbox padding} */
  public int padValue() {
    return padValue;
  }

  /** {@return how the resize interpolates} */
  public Interpolation interpolation() {
    return interpolation;
  }

  /** {@return the floats one image occupies in the tensor: {@code 3 * width * height}} */
  public int floatsPerImage() {
    return 3 * width * height;
  }

  /**
   * {@return the tensor shape for a batch of {@code n}}
   *
   * @param n the batch size
   */
  public int[] tensorShape(int n) {
    return layout == TensorLayout.NCHW ? new int[] {n, 3, height, width}
        : new int[] {n, height, width, 3};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputSpec s && s.width == width && s.height == height && s.layout == layout
        && s.channelOrder == channelOrder && Arrays.equals(s.mean, mean)
        && Arrays.equals(s.scale, scale) && s.resize == resize && s.padValue == padValue
        && s.interpolation == interpolation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, layout, channelOrder, Arrays.hashCode(mean),
        Arrays.hashCode(scale), resize, padValue, interpolation);
  }

  @Override
  public String toString() {
    return "InputSpec{" + width + "x" + height + " " + layout + " " + channelOrder + ", mean "
        + Arrays.toString(mean) + ", scale " + Arrays.toString(scale) + ", " + resize + " pad "
        + padValue + ", " + interpolation + "}";
  }

  /** Builds an {@link InputSpec}; checked in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private final int width;
    private final int height;
    private TensorLayout layout = TensorLayout.NCHW;
    private PixelFormat channelOrder = PixelFormat.RGB;
    private float[] mean = {0f, 0f, 0f};
    private float[] scale = {1f / 255f, 1f / 255f, 1f / 255f};
    private ResizeMode resize = ResizeMode.LETTERBOX;
    private int padValue = 114;
    private Interpolation interpolation = Interpolation.LINEAR;

    private Builder(int width, int height) {
      this.width = width;
      this.height = height;
    }

    /**
     * The tensor layout the model takes.
     *
     * @param value NCHW or NHWC
     * @return this builder
     */
    public Builder layout(TensorLayout value) {
      this.layout = value;
      return this;
    }

    /**
     * {@link PixelFormat#RGB} or {@link PixelFormat#BGR}.
     *
     * @param value the new channel order
     * @return this builder
     */
    public Builder channelOrder(PixelFormat value) {
      this.channelOrder = value;
      return this;
    }

    /**
     * The same mean and scale for every channel: {@code (v - mean) * scale}.
     *
     * @param mean subtracted from each value
     * @param scale multiplies each value after the mean is subtracted
     * @return this builder
     */
    public Builder normalize(float mean, float scale) {
      return normalize(new float[] {mean, mean, mean}, new float[] {scale, scale, scale});
    }

    /**
     * Per-channel mean and scale, in the model's channel order; {@code scale} is 1 / std.
     *
     * @param mean subtracted from each value
     * @param scale multiplies each value after the mean is subtracted
     * @return this builder
     */
    public Builder normalize(float[] mean, float[] scale) {
      if (mean.length != 3 || scale.length != 3) {
        throw new IllegalArgumentException("mean and scale need 3 values each, got "
            + mean.length + " and " + scale.length);
      }
      this.mean = mean.clone();
      this.scale = scale.clone();
      return this;
    }

    /**
     * How frames are fitted to the input size.
     *
     * @param value letterbox or stretch
     * @return this builder
     */
    public Builder resize(ResizeMode value) {
      this.resize = value;
      return this;
    }

    /**
     * Pixel value (0..255, before normalisation) of letterbox padding.
     *
     * @param value the new pad value
     * @return this builder
     */
    public Builder padValue(int value) {
      this.padValue = value;
      return this;
    }

    /**
     * How the resize interpolates.
     *
     * @param value the interpolation
     * @return this builder
     */
    public Builder interpolation(Interpolation value) {
      this.interpolation = value;
      return this;
    }

    /** {@return the input specification, validated} */
    public InputSpec build() {
      return new InputSpec(this);
    }
  }
}
