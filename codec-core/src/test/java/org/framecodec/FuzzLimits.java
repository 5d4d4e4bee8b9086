package org.framecodec;

/**
 * The {@link Limits} every fuzz test reads with: small enough that no input the fuzzer makes can
 * ask for more than a few megabytes, so a run measures the parsers, not the allocator, and an
 * out-of-memory error would be a real finding (a limit not checked before allocating).
 */
public final class FuzzLimits {
  /** 1 megapixel, 1 MiB payloads, 64 frames, 4 MiB documents, nesting 16. */
  public static final Limits SMALL = Limits.builder()
      .maxPixels(1 << 20)
      .maxPayloadBytes(1 << 20)
      .maxFramesPerBatch(64)
      .maxDocumentBytes(4L << 20)
      .maxNesting(16)
      .build();

  private FuzzLimits() {}
}
