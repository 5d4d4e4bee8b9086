package org.framecodec.detect;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;

/**
 * Everything a {@link Detector} is opened with: the model file, the {@link OutputHead} that reads
 * its outputs, and optional overrides.
 *
 * <ul>
 *   <li>{@code input}: the pre-processing; by default the head's
 *       {@link OutputHead#defaultInput} for the size and layout the model declares.
 *   <li>{@code nms}: score threshold, IoU and cap; by default the head's {@link
 * OutputHead#defaultNms()}.
 *   <li>{@code device} ({@link DnnDevice#AUTO}) and {@code requireGpu} (false): with
 *       {@code requireGpu}, a GPU that cannot be used is a {@link GpuUnavailableException} instead
 *       of a CPU fallback (which {@link DetectorInfo#fallbackReason()} reports).
 *   <li>{@code maxBatch} (64): the most frames one forward pass takes; bigger batches are split.
 *       Bounds the input tensor's memory: {@code maxBatch * 3 * width * height * 4} bytes.
 *   <li>{@code decoder} ({@link CodecBackend#TURBOJPEG}) and {@code limits}: how encoded payloads
 *       are decoded and what they may declare.
 * </ul>
 *
 * Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class DetectorOptions {
  /** Default {@link #maxBatch()}: the largest batch size the source scenario names. */
  public static final int DEFAULT_MAX_BATCH = 64;

  private final Path model;
  private final OutputHead head;
  private final InputSpec input;
  private final NmsOptions nms;
  private final DnnDevice device;
  private final boolean requireGpu;
  private final int maxBatch;
  private final CodecBackend decoder;
  private final Limits limits;

  private DetectorOptions(Builder b) {
    this.model = Objects.requireNonNull(b.model, "model");
    this.head = Objects.requireNonNull(b.head, "head");
    this.input = b.input;
    this.nms = b.nms;
    this.device = Objects.requireNonNull(b.device, "device");
    this.requireGpu = b.requireGpu;
    if (b.maxBatch < 1 || b.maxBatch > 4096) {
      throw new IllegalArgumentException("max batch must be 1..4096, got " + b.maxBatch);
    }
    if (requireGpu && device == DnnDevice.CPU) {
      throw new IllegalArgumentException("requireGpu contradicts device cpu; use auto, cuda or cuda_fp16");
    }
    this.maxBatch = b.maxBatch;
    this.decoder = Objects.requireNonNull(b.decoder, "decoder");
    this.limits = Objects.requireNonNull(b.limits, "limits");
  }

  /**
   * {@return a builder for {@code model} read with {@code head}}
   *
   * @param model the ONNX model file
   * @param head the output head that decodes the model's outputs
   */
  public static Builder builder(Path model, OutputHead head) {
    return new Builder(model, head);
  }

  /**
   * {@return a BlazeFace model (front or back) with every default}
   *
   * @param model the ONNX model file
   */
  public static DetectorOptions blazeFace(Path model) {
    return builder(model, BlazeFaceHead.create()).build();
  }

  /** {@return the ONNX model file} */
  public Path model() {
    return model;
  }

  /** {@return the head that decodes the model's outputs} */
  public OutputHead head() {
    return head;
  }

  /** {@return the pre-processing override, if one was set} */
  public Optional<InputSpec> input() {
    return Optional.ofNullable(input);
  }

  /** {@return the post-processing override, if one was set} */
  public Optional<NmsOptions> nms() {
    return Optional.ofNullable(nms);
  }

  /** {@return the device asked for} */
  public DnnDevice device() {
    return device;
  }

  /** {@return true when a missing GPU is an error rather than a fall-back to the CPU} */
  public boolean requireGpu() {
    return requireGpu;
  }

  /** {@return the most frames one forward pass takes} */
  public int maxBatch() {
    return maxBatch;
  }

  /** {@return the JPEG engine that decodes payloads} */
  public CodecBackend decoder() {
    return decoder;
  }

  /** {@return the limits payloads are checked against} */
  public Limits limits() {
    return limits;
  }

  /**
   * A builder holding these options.
   *
   * @return a builder holding these values
   */
  public Builder toBuilder() {
    Builder b = new Builder(model, head);
    b.input = input;
    b.nms = nms;
    b.device = device;
    b.requireGpu = requireGpu;
    b.maxBatch = maxBatch;
    b.decoder = decoder;
    b.limits = limits;
    return b;
  }

  @Override
  public String toString() {
    return "DetectorOptions{" + model + ", " + head.name() + ", device " + device
        + (requireGpu ? " (required)" : "") + ", max batch " + maxBatch
        + (input != null ? ", " + input : "") + (nms != null ? ", " + nms : "") + "}";
  }

  /** Builds {@link DetectorOptions}; checked in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private final Path model;
    private final OutputHead head;
    private InputSpec input;
    private NmsOptions nms;
    private DnnDevice device = DnnDevice.AUTO;
    private boolean requireGpu;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private CodecBackend decoder = CodecBackend.TURBOJPEG;
    private Limits limits = Limits.defaults();

    private Builder(Path model, OutputHead head) {
      this.model = model;
      this.head = head;
    }

    /**
     * Overrides the pre-processing; its size must match the model's declared input size.
     *
     * @param value the new input
     * @return this builder
     */
    public Builder input(InputSpec value) {
      this.input = value;
      return this;
    }

    /**
     * Overrides the head's default post-processing.
     *
     * @param value score and IoU thresholds and the detection cap
     * @return this builder
     */
    public Builder nms(NmsOptions value) {
      this.nms = value;
      return this;
    }

    /**
     * The device to run on; default {@link DnnDevice#AUTO}.
     *
     * @param value the device asked for
     * @return this builder
     */
    public Builder device(DnnDevice value) {
      this.device = value;
      return this;
    }

    /**
     * Fail with {@link GpuUnavailableException} rather than fall back to the CPU.
     *
     * @param value the new require gpu
     * @return this builder
     */
    public Builder requireGpu(boolean value) {
      this.requireGpu = value;
      return this;
    }

    /**
     * The most frames one forward pass takes; larger calls run in chunks. Default 64.
     *
     * @param value frames per forward pass, at least 1
     * @return this builder
     */
    public Builder maxBatch(int value) {
      this.maxBatch = value;
      return this;
    }

    /**
     * The JPEG engine for {@link Detector#detectEncoded}.
     *
     * @param value the new decoder
     * @return this builder
     */
    public Builder decoder(CodecBackend value) {
      this.decoder = value;
      return this;
    }

    /**
     * Limits for decoding payloads in {@link Detector#detectEncoded}; default {@link
     * Limits#defaults()}.
     *
     * @param value the limits
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = value;
      return this;
    }

    /** {@return the options, validated} */
    public DetectorOptions build() {
      return new DetectorOptions(this);
    }
  }
}
