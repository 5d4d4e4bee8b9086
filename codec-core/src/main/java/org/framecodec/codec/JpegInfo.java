package org.framecodec.codec;

/**
 * What a JPEG header declares, read without decoding the image.
 *
 * @param width pixels per row
 * @param height rows
 * @param components 1 for grayscale, 3 for colour
 * @param subsampling chroma subsampling of a colour JPEG; {@code null} for grayscale or layouts
 *     other than 4:4:4, 4:2:2 and 4:2:0
 */
public record JpegInfo(int width, int height, int components, Subsampling subsampling) {
  /** {@return width x height} */
  public long pixels() {
    return (long) width * height;
  }
}
