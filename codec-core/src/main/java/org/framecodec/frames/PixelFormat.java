package org.framecodec.frames;

/**
 * How the bytes of a {@link Frame} are laid out.
 *
 * <p>Interleaved formats match a C-order numpy {@code uint8} array: {@link #BGR} and {@link #RGB}
 * are {@code (H, W, 3)}, {@link #GRAY} is {@code (H, W)}. Planar formats are what video decoders
 * produce: {@link #I420} is a full-size Y plane followed by quarter-size U and V planes;
 * {@link #NV12} is the Y plane followed by one plane of interleaved U,V pairs. Chroma planes are
 * {@code ceil(W/2) x ceil(H/2)} samples.
 */
public enum PixelFormat {
  /** Blue, green, red per pixel: OpenCV's order and the default. */
  BGR(3, false),
  /** Red, green, blue per pixel. */
  RGB(3, false),
  /** One luma byte per pixel. */
  GRAY(1, false),
  /** Planar Y, U, V with 2x2 subsampled chroma (also called YUV420p). */
  I420(1, true),
  /** Planar Y, then interleaved U,V with 2x2 subsampled chroma. */
  NV12(1, true);

  private final int bytesPerPixel;
  private final boolean planar;

  PixelFormat(int bytesPerPixel, boolean planar) {
    this.bytesPerPixel = bytesPerPixel;
    this.planar = planar;
  }

  /** {@return the bytes per pixel of the first (or only) plane} */
  public int bytesPerPixel() {
    return bytesPerPixel;
  }

  /** {@return true for I420 and NV12, whose colour lives in separate planes} */
  public boolean isPlanar() {
    return planar;
  }

  /**
   * {@return the channels as numpy would show them: 3 for BGR/RGB, 1 for GRAY; planar formats
   * report 3}
   */
  public int channels() {
    return this == GRAY ? 1 : 3;
  }
}
