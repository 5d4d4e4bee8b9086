package org.framecodec.stream;

import java.time.Duration;
import java.util.Objects;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;

/**
 * How a {@link StreamPipeline} processes its streams.
 *
 * <ul>
 *   <li>{@code mode} ({@link ProcessingMode#FILE}): drop under overload (live) or wait (file).
 *   <li>{@code encode} (cv2-yuv q80): the payload each frame is encoded to for the detector, the
 *       source document's recipe by default; {@code backend} (TurboJPEG) encodes it.
 *   <li>{@code maxBatch} (16) and {@code maxDelay} (20 ms): the shared {@link
 *       org.framecodec.batch.Batcher}'s size and deadline. Frames of all streams share batches;
 *       at 50 fps a stream brings a frame every 20 ms.
 *   <li>{@code maxFramesInFlight} (8): per stream, the most decoded frames held between the
 *       decoder and the sink (waiting for detection or for the writer). Bounds memory (8 x 6 MB
 *       at 1080p) and, in live mode, latency: the oldest is dropped when a new one arrives.
 *   <li>{@code annotator}: how boxes are drawn ({@link Annotator#defaults()}).
 *   <li>{@code limits}: the codec's limits for the payloads it makes.
 * </ul>
 *
 * <p>Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class PipelineOptions {
  private static final PipelineOptions DEFAULTS = builder().build();

  private final ProcessingMode mode;
  private final EncodeOptions encode;
  private final CodecBackend backend;
  private final int maxBatch;
  private final Duration maxDelay;
  private final int maxFramesInFlight;
  private final Annotator annotator;
  private final Limits limits;

  private PipelineOptions(Builder b) {
    this.mode = Objects.requireNonNull(b.mode, "mode");
    this.encode = Objects.requireNonNull(b.encode, "encode");
    this.backend = Objects.requireNonNull(b.backend, "backend");
    if (b.maxBatch < 1 || b.maxBatch > 1024) {
      throw new IllegalArgumentException("maxBatch must be 1..1024, got " + b.maxBatch);
    }
    this.maxBatch = b.maxBatch;
    Objects.requireNonNull(b.maxDelay, "maxDelay");
    if (b.maxDelay.isNegative() || b.maxDelay.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("maxDelay must be 0..10 s, got " + b.maxDelay);
    }
    this.maxDelay = b.maxDelay;
    if (b.maxFramesInFlight < 2 || b.maxFramesInFlight > 1024) {
      throw new IllegalArgumentException("maxFramesInFlight must be 2..1024, got " + b.maxFramesInFlight);
    }
    this.maxFramesInFlight = b.maxFramesInFlight;
    this.annotator = Objects.requireNonNull(b.annotator, "annotator");
    this.limits = Objects.requireNonNull(b.limits, "limits");
  }

  /** {@return every default: file mode, cv2-yuv q80, batches of 16 within 20 ms, 8 frames in flight} */
  public static PipelineOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder holding the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these options, to derive changed ones} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.encode = encode;
    b.backend = backend;
    b.maxBatch = maxBatch;
    b.maxDelay = maxDelay;
    b.maxFramesInFlight = maxFramesInFlight;
    b.annotator = annotator;
    b.limits = limits;
    return b;
  }

  /** {@return live or file behaviour} */
  public ProcessingMode mode() {
    return mode;
  }

  /** {@return the payload each frame is encoded to for the detector} */
  public EncodeOptions encode() {
    return encode;
  }

  /** {@return the JPEG engine that encodes the payloads} */
  public CodecBackend backend() {
    return backend;
  }

  /** {@return the largest batch handed to the detector} */
  public int maxBatch() {
    return maxBatch;
  }

  /** {@return the longest a frame waits for its batch to fill} */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** {@return the most decoded frames one stream holds between decoder and sink} */
  public int maxFramesInFlight() {
    return maxFramesInFlight;
  }

  /** {@return how boxes are drawn} */
  public Annotator annotator() {
    return annotator;
  }

  /** {@return the codec's limits for the payloads it makes} */
  public Limits limits() {
    return limits;
  }

  @Override
  public String toString() {
    return "PipelineOptions{" + mode + ", " + encode + " on " + backend + ", batch " + maxBatch
        + " / " + maxDelay.toMillis() + " ms, " + maxFramesInFlight + " frames in flight per stream}";
  }

  /** Collects {@link PipelineOptions}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private ProcessingMode mode = ProcessingMode.FILE;
    private EncodeOptions encode = EncodeOptions.cv2Yuv(80);
    private CodecBackend backend = CodecBackend.TURBOJPEG;
    private int maxBatch = 16;
    private Duration maxDelay = Duration.ofMillis(20);
    private int maxFramesInFlight = 8;
    private Annotator annotator = Annotator.defaults();
    private Limits limits = Limits.defaults();

    private Builder() {}

    /**
     * Sets live or file behaviour; default file.
     *
     * @param value the mode
     * @return this builder
     */
    public Builder mode(ProcessingMode value) {
      this.mode = value;
      return this;
    }

    /**
     * Sets the detector's payload; default cv2-yuv q80.
     *
     * @param value mode and quality
     * @return this builder
     */
    public Builder encode(EncodeOptions value) {
      this.encode = value;
      return this;
    }

    /**
     * Sets the JPEG engine; default TurboJPEG.
     *
     * @param value the backend
     * @return this builder
     */
    public Builder backend(CodecBackend value) {
      this.backend = value;
      return this;
    }

    /**
     * Sets the largest batch; default 16.
     *
     * @param value 1..1024
     * @return this builder
     */
    public Builder maxBatch(int value) {
      this.maxBatch = value;
      return this;
    }

    /**
     * Sets the batch deadline; default 20 ms.
     *
     * @param value 0..10 s
     * @return this builder
     */
    public Builder maxDelay(Duration value) {
      this.maxDelay = value;
      return this;
    }

    /**
     * Sets the frames one stream may hold; default 8.
     *
     * @param value 2..1024
     * @return this builder
     */
    public Builder maxFramesInFlight(int value) {
      this.maxFramesInFlight = value;
      return this;
    }

    /**
     * Sets the drawing style.
     *
     * @param value the annotator
     * @return this builder
     */
    public Builder annotator(Annotator value) {
      this.annotator = value;
      return this;
    }

    /**
     * Sets the codec's limits.
     *
     * @param value the limits
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = value;
      return this;
    }

    /** {@return the options, validated} */
    public PipelineOptions build() {
      return new PipelineOptions(this);
    }
  }
}
