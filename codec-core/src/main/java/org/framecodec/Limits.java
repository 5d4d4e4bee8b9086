package org.framecodec;

/**
 * Upper bounds that decoders enforce on untrusted input, each checked from a declared size
 * (JPEG header, container field, JSON length) before anything of that size is allocated, and the
 * decoded-pixel budgets a service checks from the JPEG headers of a whole request before it
 * decodes any of them ({@link #maxRequestPixels()}, {@link #maxInFlightPixels()}).
 *
 * <p>Immutable and thread-safe. {@link #defaults()} suits 8K frames and batches of a few
 * hundred; services that know their traffic should tighten it with {@link #builder()}.
 */
public final class Limits {
  /** 8K UHD (7680x4320) with room to spare: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
  /** Larger than any sane JPEG of an 8K frame at quality 100. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 << 20;
  /** Four times the largest batch FrameCodec's benchmarks send. */
  public static final int DEFAULT_MAX_FRAMES_PER_BATCH = 1024;
  /** A 256-frame batch of 1080p q100 payloads in base64 fits. */
  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 512L << 20;
  /** Deep enough for any envelope; JSON nested deeper is refused. */
  public static final int DEFAULT_MAX_NESTING = 16;
  /**
   * Most scans one JPEG may have. libjpeg's own tools refuse scan scripts of more than 100 scans
   * ({@code MAX_SCANS} in cjpeg and jpegtran), a standard progressive JPEG has 6 (gray) or 10
   * (colour), and mozjpeg's optimised scripts stay near 20; past 100 a payload is an attack, not
   * an image. Also below libjpeg-turbo's own 500-scan guard, so both backends refuse alike.
   */
  public static final int DEFAULT_MAX_SCANS = 100;
  /**
   * Most decode work one JPEG may ask for, counted as scans x pixels. A progressive scan walks
   * every block of the image again, so the decoding cost grows with this product, not with the
   * pixels alone: measured on the 2-core development machine, a 100-scan 7680x4320 payload took
   * 4.3 s against 0.6 s for its baseline version (about 1.1 ns per scan-pixel under load, 0.3 ns
   * quiet). 200 million keeps the scan part of any payload's decode near 200 ms, and still admits
   * a 1080p frame with 96 scans, a 4K frame with 24 and a gray progressive 8K frame (6 scans); a
   * colour progressive 8K frame (10 scans, 332 million) is refused: raise this for such traffic.
   */
  public static final long DEFAULT_MAX_DECODE_WORK = 200_000_000L;
  /**
   * Most pixels all frames of one request may declare together, checked from their headers
   * before any is decoded. 64 frames of 1080p (132.7 million) with 13% to spare: a service's
   * largest normal batch passes, and its decoded BGR (400 MB at most) stays well inside a 1 GB
   * heap. A 64-frame batch of 6320x6320 (2.5 billion pixels, 7.6 GB decoded) does not.
   */
  public static final long DEFAULT_MAX_REQUEST_PIXELS = 150_000_000L;
  /**
   * Most pixels all requests admitted by one service may declare at once (queued or running).
   * Four of the largest requests (the default is four times {@link #maxRequestPixels()}, whatever
   * that is set to): enough for a queue in front of a busy detector, and a bound on
   * what any later parallel decoder can hold at once (1.8 GB of BGR).
   */
  public static final long DEFAULT_MAX_IN_FLIGHT_PIXELS = 4 * DEFAULT_MAX_REQUEST_PIXELS;

  private static final long UNSET = Long.MIN_VALUE;
  private static final Limits DEFAULTS = builder().build();

  private final long maxPixels;
  private final int maxPayloadBytes;
  private final int maxFramesPerBatch;
  private final long maxDocumentBytes;
  private final int maxNesting;
  private final int maxScans;
  private final long maxDecodeWork;
  private final long maxRequestPixels;
  private final long maxInFlightPixels;

  private Limits(Builder b) {
    this.maxPixels = positive("maxPixels", b.maxPixels);
    this.maxPayloadBytes = (int) positive("maxPayloadBytes", b.maxPayloadBytes);
    this.maxFramesPerBatch = (int) positive("maxFramesPerBatch", b.maxFramesPerBatch);
    this.maxDocumentBytes = positive("maxDocumentBytes", b.maxDocumentBytes);
    this.maxNesting = (int) positive("maxNesting", b.maxNesting);
    this.maxScans = (int) positive("maxScans", b.maxScans);
    this.maxDecodeWork = positive("maxDecodeWork", b.maxDecodeWork);
    this.maxRequestPixels = positive("maxRequestPixels", b.maxRequestPixels);
    this.maxInFlightPixels = b.maxInFlightPixels == UNSET
        ? (maxRequestPixels > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 4 * maxRequestPixels)
        : positive("maxInFlightPixels", b.maxInFlightPixels);
    if (maxInFlightPixels < maxRequestPixels) {
      throw new IllegalArgumentException("maxInFlightPixels (" + maxInFlightPixels
          + ") must be at least maxRequestPixels (" + maxRequestPixels + ")");
    }
  }

  private static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** {@return the default limits, shared} */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the most pixels (width x height) one frame may declare} */
  public long maxPixels() {
    return maxPixels;
  }

  /** {@return the most bytes one encoded frame payload may have} */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** {@return the most frames one batch (JSON or raw container) may declare} */
  public int maxFramesPerBatch() {
    return maxFramesPerBatch;
  }

  /** {@return the most bytes one JSON document or raw container may have} */
  public long maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** {@return the deepest JSON nesting accepted} */
  public int maxNesting() {
    return maxNesting;
  }

  /** {@return the most scans one JPEG may have; counted from its markers before it is decoded} */
  public int maxScans() {
    return maxScans;
  }

  /** {@return the most scans x pixels one JPEG may cost to decode; counted before it is decoded} */
  public long maxDecodeWork() {
    return maxDecodeWork;
  }

  /** {@return the most pixels all frames of one request may declare together} */
  public long maxRequestPixels() {
    return maxRequestPixels;
  }

  /** {@return the most pixels all requests a service holds at once may declare together} */
  public long maxInFlightPixels() {
    return maxInFlightPixels;
  }

  /**
   * Throws {@link PayloadTooLargeException} when a JPEG of {@code pixels} pixels with {@code scans}
   * scans passes {@link #maxScans()} or {@link #maxDecodeWork()}.
   *
   * @param scans the JPEG's scans (SOS markers)
   * @param pixels its declared width x height
   */
  public void checkScans(int scans, long pixels) {
    if (scans > maxScans) {
      throw new PayloadTooLargeException("JPEG has " + scans + " scans, more than the limit of "
          + maxScans);
    }
    long work = scans * pixels;
    if (work > maxDecodeWork) {
      throw new PayloadTooLargeException("JPEG of " + pixels + " pixels in " + scans
          + " scans asks for " + work + " scan-pixels of decoding, more than the limit of "
          + maxDecodeWork);
    }
  }

  /**
   * Throws {@link PayloadTooLargeException} when a declared width x height exceeds {@link
   * #maxPixels()}.
   *
   * @param width declared width
   * @param height declared height
   */
  public void checkPixels(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new CorruptPayloadException("frame dimensions must be positive, got " + width + "x" + height);
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new PayloadTooLargeException(
          "frame of " + width + "x" + height + " = " + pixels + " pixels exceeds the limit of " + maxPixels);
    }
  }

  /**
   * Throws {@link PayloadTooLargeException} when a declared payload length exceeds {@link
   * #maxPayloadBytes()}.
   *
   * @param length declared length in bytes
   */
  public void checkPayloadBytes(long length) {
    if (length > maxPayloadBytes) {
      throw new PayloadTooLargeException(
          "payload of " + length + " bytes exceeds the limit of " + maxPayloadBytes);
    }
  }

  /**
   * Throws {@link PayloadTooLargeException} when a declared frame count exceeds {@link
   * #maxFramesPerBatch()}.
   *
   * @param count declared frame count
   */
  public void checkFrameCount(long count) {
    if (count > maxFramesPerBatch) {
      throw new PayloadTooLargeException(
          "batch of " + count + " frames exceeds the limit of " + maxFramesPerBatch);
    }
  }

  /**
   * Throws {@link PayloadTooLargeException} when a document length exceeds {@link
   * #maxDocumentBytes()}.
   *
   * @param length declared length in bytes
   */
  public void checkDocumentBytes(long length) {
    if (length > maxDocumentBytes) {
      throw new PayloadTooLargeException(
          "document of " + length + " bytes exceeds the limit of " + maxDocumentBytes);
    }
  }

  @Override
  public String toString() {
    return "Limits{maxPixels=" + maxPixels + ", maxPayloadBytes=" + maxPayloadBytes
        + ", maxFramesPerBatch=" + maxFramesPerBatch + ", maxDocumentBytes=" + maxDocumentBytes
        + ", maxNesting=" + maxNesting + ", maxScans=" + maxScans + ", maxDecodeWork="
        + maxDecodeWork + ", maxRequestPixels=" + maxRequestPixels + ", maxInFlightPixels="
        + maxInFlightPixels + "}";
  }

  /** Builds {@link Limits}; every value must be positive. Not thread-safe. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private long maxFramesPerBatch = DEFAULT_MAX_FRAMES_PER_BATCH;
    private long maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    private long maxNesting = DEFAULT_MAX_NESTING;
    private long maxScans = DEFAULT_MAX_SCANS;
    private long maxDecodeWork = DEFAULT_MAX_DECODE_WORK;
    private long maxRequestPixels = DEFAULT_MAX_REQUEST_PIXELS;
    private long maxInFlightPixels = UNSET;

    private Builder() {}

    /**
     * Largest width x height accepted.
     *
     * @param value pixels, at least 1
     * @return this builder
     */
    public Builder maxPixels(long value) {
      this.maxPixels = value;
      return this;
    }

    /**
     * Longest JPEG payload accepted.
     *
     * @param value bytes, at least 1
     * @return this builder
     */
    public Builder maxPayloadBytes(int value) {
      this.maxPayloadBytes = value;
      return this;
    }

    /**
     * Most frames one batch may hold.
     *
     * @param value frames, at least 1
     * @return this builder
     */
    public Builder maxFramesPerBatch(int value) {
      this.maxFramesPerBatch = value;
      return this;
    }

    /**
     * Longest message body accepted.
     *
     * @param value bytes, at least 1
     * @return this builder
     */
    public Builder maxDocumentBytes(long value) {
      this.maxDocumentBytes = value;
      return this;
    }

    /**
     * Deepest JSON nesting accepted.
     *
     * @param value depth, at least 1
     * @return this builder
     */
    public Builder maxNesting(int value) {
      this.maxNesting = value;
      return this;
    }

    /**
     * Sets {@link Limits#maxScans()}.
     *
     * @param value scans, at least 1
     * @return this builder
     */
    public Builder maxScans(int value) {
      this.maxScans = value;
      return this;
    }

    /**
     * Sets {@link Limits#maxDecodeWork()}.
     *
     * @param value scans x pixels, at least 1
     * @return this builder
     */
    public Builder maxDecodeWork(long value) {
      this.maxDecodeWork = value;
      return this;
    }

    /**
     * Sets {@link Limits#maxRequestPixels()}.
     *
     * @param value pixels, at least 1
     * @return this builder
     */
    public Builder maxRequestPixels(long value) {
      this.maxRequestPixels = value;
      return this;
    }

    /**
     * Sets {@link Limits#maxInFlightPixels()}; by default four times {@link #maxRequestPixels}.
     *
     * @param value pixels, at least {@code maxRequestPixels}
     * @return this builder
     */
    public Builder maxInFlightPixels(long value) {
      this.maxInFlightPixels = value;
      return this;
    }

    /** {@return the limits, validated} */
    public Limits build() {
      return new Limits(this);
    }
  }
}
