package org.framecodec;

/**
 * Upper bounds that decoders enforce on untrusted input, each checked from a declared size
 * (JPEG header, container field, JSON length) before anything of that size is allocated.
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

  private static final Limits DEFAULTS = builder().build();

  private final long maxPixels;
  private final int maxPayloadBytes;
  private final int maxFramesPerBatch;
  private final long maxDocumentBytes;
  private final int maxNesting;

  private Limits(Builder b) {
    this.maxPixels = positive("maxPixels", b.maxPixels);
    this.maxPayloadBytes = (int) positive("maxPayloadBytes", b.maxPayloadBytes);
    this.maxFramesPerBatch = (int) positive("maxFramesPerBatch", b.maxFramesPerBatch);
    this.maxDocumentBytes = positive("maxDocumentBytes", b.maxDocumentBytes);
    this.maxNesting = (int) positive("maxNesting", b.maxNesting);
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
        + ", maxNesting=" + maxNesting + "}";
  }

  /** Builds {@link Limits}; every value must be positive. Not thread-safe. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private long maxFramesPerBatch = DEFAULT_MAX_FRAMES_PER_BATCH;
    private long maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    private long maxNesting = DEFAULT_MAX_NESTING;

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

    /** {@return the limits, validated} */
    public Limits build() {
      return new Limits(this);
    }
  }
}
