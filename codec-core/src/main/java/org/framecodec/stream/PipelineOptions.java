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

  public static PipelineOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

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

  public ProcessingMode mode() {
    return mode;
  }

  public EncodeOptions encode() {
    return encode;
  }

  public CodecBackend backend() {
    return backend;
  }

  public int maxBatch() {
    return maxBatch;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public int maxFramesInFlight() {
    return maxFramesInFlight;
  }

  public Annotator annotator() {
    return annotator;
  }

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

    public Builder mode(ProcessingMode value) {
      this.mode = value;
      return this;
    }

    public Builder encode(EncodeOptions value) {
      this.encode = value;
      return this;
    }

    public Builder backend(CodecBackend value) {
      this.backend = value;
      return this;
    }

    public Builder maxBatch(int value) {
      this.maxBatch = value;
      return this;
    }

    public Builder maxDelay(Duration value) {
      this.maxDelay = value;
      return this;
    }

    public Builder maxFramesInFlight(int value) {
      this.maxFramesInFlight = value;
      return this;
    }

    public Builder annotator(Annotator value) {
      this.annotator = value;
      return this;
    }

    public Builder limits(Limits value) {
      this.limits = value;
      return this;
    }

    public PipelineOptions build() {
      return new PipelineOptions(this);
    }
  }
}
