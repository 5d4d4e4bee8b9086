package org.framecodec.detect;

/** The resampling filter pre-processing uses (OpenCV {@code resize} flags). */
public enum Interpolation {
  /** Bilinear ({@code INTER_LINEAR}): OpenCV's and most exporters' default; aliases on big shrinks. */
  LINEAR,
  /** Pixel-area averaging ({@code INTER_AREA}): better when shrinking 1080p to 128x128, slower. */
  AREA
}
