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
  public static final int DEFAULT_MAX_FRAMES_PER_BATCH = 1024;
  /** A 256-frame batch of 1080p q100 payloads in base64 fits. */
  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 512L << 20;
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

  public static Limits defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Most pixels (width x height) one frame may declare. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Most bytes one encoded frame payload may have. */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Most frames one batch (JSON or raw container) may declare. */
  public int maxFramesPerBatch() {
    return maxFramesPerBatch;
  }

  /** Most bytes one JSON document or raw container may have. */
  public long maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** Deepest JSON nesting accepted. */
  public int maxNesting() {
    return maxNesting;
  }

  /** Throws {@link PayloadTooLargeException} when a declared width x height exceeds {@link #maxPixels()}. */
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

  /** Throws {@link PayloadTooLargeException} when a declared payload length exceeds {@link #maxPayloadBytes()}. */
  public void checkPayloadBytes(long length) {
    if (length > maxPayloadBytes) {
      throw new PayloadTooLargeException(
          "payload of " + length + " bytes exceeds the limit of " + maxPayloadBytes);
    }
  }

  /** Throws {@link PayloadTooLargeException} when a declared frame count exceeds {@link #maxFramesPerBatch()}. */
  public void checkFrameCount(long count) {
    if (count > maxFramesPerBatch) {
      throw new PayloadTooLargeException(
          "batch of " + count + " frames exceeds the limit of " + maxFramesPerBatch);
    }
  }

  /** Throws {@link PayloadTooLargeException} when a document length exceeds {@link #maxDocumentBytes()}. */
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

    public Builder maxPixels(long value) {
      this.maxPixels = value;
      return this;
    }

    public Builder maxPayloadBytes(int value) {
      this.maxPayloadBytes = value;
      return this;
    }

    public Builder maxFramesPerBatch(int value) {
      this.maxFramesPerBatch = value;
      return this;
    }

    public Builder maxDocumentBytes(long value) {
      this.maxDocumentBytes = value;
      return this;
    }

    public Builder maxNesting(int value) {
      this.maxNesting = value;
      return this;
    }

    public Limits build() {
      return new Limits(this);
    }
  }
}
