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
 *   <li>{@code decodeThreads} (automatic): workers that decode and pre-process, beside the
 *       inference threads; 0 runs every stage on the calling thread. Automatic is one per
 *       processor, or, when nvJPEG decodes a share on the GPU, one per processor less one per
 *       nvJPEG decoder and one for the inference threads: those threads' host work is short but
 *       on the critical path, and on the H200 machine 13 workers beside two decoders gave more
 *       than 16 (docs/benchmarks.md).
 *   <li>{@code scaledDecode} (true): decode payloads at the coarsest 1/2, 1/4 or 1/8 scale that
 *       still covers the model input; false decodes at full size (for comparison).
 *   <li>{@code gpuDecode} ({@link GpuDecode#AUTO}) and {@code gpuDecodeShare} (none): whether
 *       nvJPEG decodes payloads on the GPU, and whether it takes a fixed share of each batch
 *       (0..1) or, by default, claims blocks of payloads from the front of each batch while the
 *       CPU workers claim payloads from the back, so that each side decodes as much as it can.
 *   <li>{@code gpuDecodeStreams} ({@value #DEFAULT_GPU_DECODE_STREAMS}): how many nvJPEG decoders,
 *       each with its own thread and CUDA stream, take the GPU's blocks, so that one's host work
 *       (reading headers, staging bitstreams, waiting on a copy) overlaps another's time in the
 *       JPEG engines.
 *   <li>{@code gpuDecodeBlock} ({@value #DEFAULT_GPU_DECODE_BLOCK}): payloads per block a
 *       hardware decoder claims; on the H200 32 beat 64 at batch 64 and matched it at 256.
 *   <li>{@code modelInstances} (0, automatic: two when the model runs on a GPU and
 *       {@code maxBatch} is 32 or less, else one): copies of the network, each with its own
 *       inference thread, that take filled batches in turn, so that one copy's host work (copying
 *       the input in and the outputs out) overlaps another's forward pass on the device. That
 *       pays for small batches; large ones are bound by decoding, where the second thread's waits
 *       cost a core. On the CPU a forward pass already uses every core.
 * </ul>
 *
 * Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class DetectorOptions {
  /** Default {@link #maxBatch()}: the largest batch size the source scenario names. */
  public static final int DEFAULT_MAX_BATCH = 64;
  /** More decode threads than this is a configuration mistake, not a tuning choice. */
  public static final int MAX_DECODE_THREADS = 1024;
  /** Default {@link #gpuDecodeStreams()}. */
  public static final int DEFAULT_GPU_DECODE_STREAMS = 2;
  /** Default {@link #gpuDecodeBlock()}. */
  public static final int DEFAULT_GPU_DECODE_BLOCK = 32;
  /** More nvJPEG decoders than this only holds more device memory. */
  public static final int MAX_GPU_DECODE_STREAMS = 8;
  /** More copies of the network than this only holds more memory. */
  public static final int MAX_MODEL_INSTANCES = 8;

  private final Path model;
  private final OutputHead head;
  private final InputSpec input;
  private final NmsOptions nms;
  private final DnnDevice device;
  private final boolean requireGpu;
  private final int maxBatch;
  private final CodecBackend decoder;
  private final Limits limits;
  private final int decodeThreads;
  private final boolean autoDecodeThreads;
  private final boolean scaledDecode;
  private final GpuDecode gpuDecode;
  private final double gpuDecodeShare;
  private final int gpuDecodeStreams;
  private final int gpuDecodeBlock;
  private final int modelInstances;

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
    if (b.decodeThreads < 0 || b.decodeThreads > MAX_DECODE_THREADS) {
      throw new IllegalArgumentException("decode threads must be 0.." + MAX_DECODE_THREADS + ", got "
          + b.decodeThreads);
    }
    this.decodeThreads = b.decodeThreads;
    this.autoDecodeThreads = b.autoDecodeThreads;
    this.scaledDecode = b.scaledDecode;
    this.gpuDecode = Objects.requireNonNull(b.gpuDecode, "gpuDecode");
    if (!(b.gpuDecodeShare < 0 || b.gpuDecodeShare <= 1)) {
      throw new IllegalArgumentException("GPU decode share must be 0..1, or negative for none (the GPU"
          + " and the CPU claim from each batch), got " + b.gpuDecodeShare);
    }
    this.gpuDecodeShare = b.gpuDecodeShare < 0 ? -1 : b.gpuDecodeShare;
    if (b.gpuDecodeStreams < 1 || b.gpuDecodeStreams > MAX_GPU_DECODE_STREAMS) {
      throw new IllegalArgumentException("GPU decode streams must be 1.." + MAX_GPU_DECODE_STREAMS
          + ", got " + b.gpuDecodeStreams);
    }
    this.gpuDecodeStreams = b.gpuDecodeStreams;
    if (b.gpuDecodeBlock < 1 || b.gpuDecodeBlock > 4096) {
      throw new IllegalArgumentException("GPU decode block must be 1..4096 payloads, got "
          + b.gpuDecodeBlock);
    }
    this.gpuDecodeBlock = b.gpuDecodeBlock;
    if (b.modelInstances < 0 || b.modelInstances > MAX_MODEL_INSTANCES) {
      throw new IllegalArgumentException("model instances must be 1.." + MAX_MODEL_INSTANCES
          + ", or 0 for automatic, got " + b.modelInstances);
    }
    this.modelInstances = b.modelInstances;
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
   * {@return worker threads that decode and pre-process; 0 runs every stage on the calling thread}
   * When automatic, this is the machine's processors; the detector may use fewer beside a GPU
   * decoder, and {@link DetectorInfo#decodeThreads()} says how many it uses.
   */
  public int decodeThreads() {
    return decodeThreads;
  }

  /** Whether {@link #decodeThreads()} was left automatic. */
  boolean autoDecodeThreads() {
    return autoDecodeThreads;
  }

  /** {@return whether payloads are decoded at the model's scale (true) or at full size} */
  public boolean scaledDecode() {
    return scaledDecode;
  }

  /** {@return whether and how nvJPEG decodes a share of each batch on the GPU} */
  public GpuDecode gpuDecode() {
    return gpuDecode;
  }

  /** {@return the GPU's fixed share of each batch, 0..1; -1 for none (both sides claim)} */
  public double gpuDecodeShare() {
    return gpuDecodeShare;
  }

  /** {@return how many nvJPEG decoders (threads and CUDA streams) take the GPU's shares} */
  public int gpuDecodeStreams() {
    return gpuDecodeStreams;
  }

  /** {@return how many payloads a hardware nvJPEG decoder claims at a time from a shared batch} */
  public int gpuDecodeBlock() {
    return gpuDecodeBlock;
  }

  /** {@return copies of the network taking batches in turn; 0 for automatic} */
  public int modelInstances() {
    return modelInstances;
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
    b.decodeThreads = decodeThreads;
    b.autoDecodeThreads = autoDecodeThreads;
    b.scaledDecode = scaledDecode;
    b.gpuDecode = gpuDecode;
    b.gpuDecodeShare = gpuDecodeShare;
    b.gpuDecodeStreams = gpuDecodeStreams;
    b.gpuDecodeBlock = gpuDecodeBlock;
    b.modelInstances = modelInstances;
    return b;
  }

  @Override
  public String toString() {
    return "DetectorOptions{" + model + ", " + head.name() + ", device " + device
        + (requireGpu ? " (required)" : "") + ", max batch " + maxBatch + ", "
        + decodeThreads + " decode threads" + (scaledDecode ? "" : ", full-size decode")
        + (gpuDecode == GpuDecode.AUTO ? "" : ", GPU decode " + gpuDecode)
        + (gpuDecodeStreams == DEFAULT_GPU_DECODE_STREAMS ? "" : ", " + gpuDecodeStreams + " nvJPEG streams")
        + (gpuDecodeBlock == DEFAULT_GPU_DECODE_BLOCK ? "" : ", GPU blocks of " + gpuDecodeBlock)
        + (modelInstances == 0 ? "" : ", " + modelInstances + " model instances")
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
    private int decodeThreads = Runtime.getRuntime().availableProcessors();
    private boolean autoDecodeThreads = true;
    private boolean scaledDecode = true;
    private GpuDecode gpuDecode = GpuDecode.AUTO;
    private double gpuDecodeShare = -1;
    private int gpuDecodeStreams = DEFAULT_GPU_DECODE_STREAMS;
    private int gpuDecodeBlock = DEFAULT_GPU_DECODE_BLOCK;
    private int modelInstances;

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

    /**
     * Decode and pre-process workers, 0..1024; 0 runs every stage on the calling thread. Without
     * this call the count is automatic (see {@link DetectorOptions}).
     *
     * @param value the number of workers
     * @return this builder
     */
    public Builder decodeThreads(int value) {
      this.decodeThreads = value;
      this.autoDecodeThreads = false;
      return this;
    }

    /**
     * Decode payloads at the model's scale (the default) or, with false, at full size.
     *
     * @param value true for the model's scale
     * @return this builder
     */
    public Builder scaledDecode(boolean value) {
      this.scaledDecode = value;
      return this;
    }

    /**
     * Whether and with which nvJPEG backend to decode on the GPU; default {@link GpuDecode#AUTO}.
     *
     * @param value the GPU decode mode
     * @return this builder
     */
    public Builder gpuDecode(GpuDecode value) {
      this.gpuDecode = value;
      return this;
    }

    /**
     * The GPU's fixed share of each batch, 0..1, or negative (the default) for none: the GPU's
     * decoders then claim blocks of payloads from the front of each batch while the CPU workers
     * claim payloads from the back, so each side decodes as much as it can.
     *
     * @param value the share
     * @return this builder
     */
    public Builder gpuDecodeShare(double value) {
      this.gpuDecodeShare = value;
      return this;
    }

    /**
     * How many nvJPEG decoders, each with its own thread and CUDA stream, take the GPU's shares
     * (1..{@value DetectorOptions#MAX_GPU_DECODE_STREAMS}); default
     * {@value DetectorOptions#DEFAULT_GPU_DECODE_STREAMS}. Each holds device memory for the
     * decoded planes of its largest share.
     *
     * @param value the number of decoders
     * @return this builder
     */
    public Builder gpuDecodeStreams(int value) {
      this.gpuDecodeStreams = value;
      return this;
    }

    /**
     * How many payloads a hardware nvJPEG decoder claims at a time from a batch it shares with the
     * CPU workers (1..4096, default {@value DetectorOptions#DEFAULT_GPU_DECODE_BLOCK}): larger
     * blocks pay nvJPEG's per-call setup less often, smaller ones leave less of a batch's end to
     * whichever side is slower.
     *
     * @param value payloads per block
     * @return this builder
     */
    public Builder gpuDecodeBlock(int value) {
      this.gpuDecodeBlock = value;
      return this;
    }

    /**
     * Copies of the network, each with its own inference thread, that take filled batches in turn
     * (1..{@value DetectorOptions#MAX_MODEL_INSTANCES}), or 0 (the default) for two when the
     * model runs on a GPU with a {@code maxBatch} of 32 or less, else one. Each copy holds its own
     * device memory; the serial path (0 decode threads) always uses one.
     *
     * @param value the number of copies, or 0
     * @return this builder
     */
    public Builder modelInstances(int value) {
      this.modelInstances = value;
      return this;
    }

    /** {@return the options, validated} */
    public DetectorOptions build() {
      return new DetectorOptions(this);
    }
  }
}
