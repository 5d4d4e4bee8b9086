package org.framecodec.codec;

import java.util.Arrays;
import org.framecodec.frames.Frame;

/**
 * JPEGs in layouts the codecs never write but a peer may send (4:4:0, 4:1:1), made through the
 * package-private shim for tests elsewhere. Test code only.
 */
public final class UnusualSubsampling {
  /** TurboJPEG's {@code TJSAMP_440}. */
  public static final int S440 = 4;
  /** TurboJPEG's {@code TJSAMP_411}. */
  public static final int S411 = 5;

  private UnusualSubsampling() {}

  /** {@code bgr} (an array-backed BGR frame) at quality 60 with TurboJPEG subsampling code {@code tjSubsamp}. */
  public static byte[] encode(Frame bgr, int tjSubsamp) {
    TurboJpegNative.ensureLoaded();
    long h = TurboJpegNative.create();
    try {
      byte[] dst = new byte[(int) TurboJpegNative.bufSize(bgr.width(), bgr.height(), tjSubsamp)];
      int n = TurboJpegNative.compress(h, bgr.array(), true, 0, bgr.width(), bgr.rowStride(),
          bgr.height(), TurboJpegNative.PF_BGR, TurboJpegNative.COLOR_NONE, tjSubsamp, 60,
          TurboJpegNative.FLAG_ACCURATEDCT, dst, true, 0);
      return Arrays.copyOf(dst, n);
    } finally {
      TurboJpegNative.destroy(h);
    }
  }
}
