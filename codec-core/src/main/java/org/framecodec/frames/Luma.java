package org.framecodec.frames;

/**
 * BT.601 luma of a colour frame, computed exactly as libjpeg does when it encodes a colour
 * frame in grayscale ({@code Y = (19595 R + 38470 G + 7471 B + 32768) >> 16}), so a gray-mode
 * payload can be compared with what was sent. Stateless and thread-safe.
 */
public final class Luma {
  private Luma() {}

  /**
   * {@return a new tightly packed GRAY frame holding the luma of a BGR or RGB frame}
   *
   * @param colour a BGR or RGB frame
   */
  public static Frame of(Frame colour) {
    if (colour.format() != PixelFormat.BGR && colour.format() != PixelFormat.RGB) {
      throw new IllegalArgumentException("luma needs a BGR or RGB frame, got " + colour.format());
    }
    int bi = colour.format() == PixelFormat.BGR ? 0 : 2;
    int ri = 2 - bi;
    int w = colour.width();
    Frame g = Frame.allocate(PixelFormat.GRAY, w, colour.height());
    byte[] out = g.array();
    byte[] row = new byte[w * 3];
    for (int y = 0; y < colour.height(); y++) {
      int at = colour.offset() + y * colour.rowStride();
      if (colour.hasArray()) {
        System.arraycopy(colour.array(), at, row, 0, row.length);
      } else {
        colour.buffer().get(at, row, 0, row.length);
      }
      for (int x = 0; x < w; x++) {
        int b = row[3 * x + bi] & 0xFF;
        int gr = row[3 * x + 1] & 0xFF;
        int r = row[3 * x + ri] & 0xFF;
        out[y * w + x] = (byte) ((19595 * r + 38470 * gr + 7471 * b + 32768) >> 16);
      }
    }
    return g;
  }
}
