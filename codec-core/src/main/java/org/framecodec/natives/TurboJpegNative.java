package org.framecodec.natives;

import org.framecodec.NativeCodecException;

/**
 * The JNI entry points of {@code framecodec_turbojpeg.c}. Internal: use
 * {@link org.framecodec.codec.TurboJpegCodec}.
 *
 * <p>Buffers are passed as a {@code byte[]} ({@code isArray = true}, pinned for the call) or a
 * direct {@link java.nio.ByteBuffer}, with absolute offsets. Every length is checked by the
 * caller and again in C. A handle is used by one thread at a time and destroyed exactly once.
 * Errors arrive as {@link org.framecodec.CorruptPayloadException} (bad JPEG),
 * {@link org.framecodec.UnsupportedPayloadException}, {@link NativeCodecException} (library
 * failure) or {@link IllegalArgumentException} (a check in C that the Java side should have made).
 */
public final class TurboJpegNative {
  public static final int COLOR_NONE = 0;
  public static final int COLOR_CV2_YUV = 1;

  // TurboJPEG constants, verified against turbojpeg.h at load time.
  public static final int PF_RGB = 0;
  public static final int PF_BGR = 1;
  public static final int PF_GRAY = 6;
  public static final int SAMP_444 = 0;
  public static final int SAMP_422 = 1;
  public static final int SAMP_420 = 2;
  public static final int SAMP_GRAY = 3;
  public static final int CS_YCBCR = 1;
  public static final int CS_GRAY = 2;
  public static final int FLAG_ACCURATEDCT = 4096;

  private TurboJpegNative() {}

  static void checkConstants() {
    if (selfCheck(COLOR_NONE, COLOR_CV2_YUV, PF_BGR, PF_RGB, PF_GRAY, SAMP_444, SAMP_422, SAMP_420,
        SAMP_GRAY) == 0) {
      throw new NativeCodecException("Java and C constants of the TurboJPEG shim disagree");
    }
  }

  static native int selfCheck(int colorNone, int colorCv2Yuv, int pfBgr, int pfRgb, int pfGray,
      int samp444, int samp422, int samp420, int sampGray);

  public static native long create();

  public static native void destroy(long handle);

  /** Bytes of colour-conversion scratch the handle holds now. */
  public static native long scratchBytes(long handle);

  public static native long bufSize(int width, int height, int subsamp);

  public static native int compress(long handle, Object src, boolean srcIsArray, int srcOffset,
      int width, int pitch, int height, int pixelFormat, int color, int subsamp, int quality,
      int flags, Object dst, boolean dstIsArray, int dstOffset);

  public static native int compressPlanes(long handle, Object src, boolean srcIsArray, int yOffset,
      int yStride, int uOffset, int vOffset, int chromaStride, boolean interleavedUv, int width,
      int height, int quality, int flags, Object dst, boolean dstIsArray, int dstOffset);

  /** Fills {@code out} with width, height, subsampling and colourspace. */
  public static native void readHeader(long handle, Object src, boolean srcIsArray, int offset,
      int length, int[] out);

  public static native void decompress(long handle, Object src, boolean srcIsArray, int offset,
      int length, Object dst, boolean dstIsArray, int dstOffset, int width, int pitch, int height,
      int pixelFormat, int color, int flags);

  public static native void decompressToPlanes(long handle, Object src, boolean srcIsArray,
      int offset, int length, Object dst, boolean dstIsArray, int yOffset, int yStride, int uOffset,
      int vOffset, int chromaStride, int width, int height, int flags);
}
