package org.framecodec.codec;

import org.framecodec.NativeCodecException;
import org.framecodec.natives.NativeLibrary;

/**
 * The JNI entry points of {@code framecodec_turbojpeg.c}, package-private so that only
 * {@link TurboJpegCodec}, which owns each handle, can pass one.
 *
 * <p>Buffers are passed as a {@code byte[]} ({@code isArray = true}, pinned for the call) or a
 * direct {@link java.nio.ByteBuffer}, with absolute offsets. Every length is checked by the
 * caller and again in C. A handle is used by one thread at a time and destroyed exactly once.
 * Errors arrive as {@link org.framecodec.CorruptPayloadException} (bad JPEG),
 * {@link org.framecodec.UnsupportedPayloadException}, {@link NativeCodecException} (library
 * failure) or {@link IllegalArgumentException} (a check in C that the Java side should have made).
 */
final class TurboJpegNative {
  static final int COLOR_NONE = 0;
  static final int COLOR_CV2_YUV = 1;

  // TurboJPEG constants, verified against turbojpeg.h at load time.
  static final int PF_RGB = 0;
  static final int PF_BGR = 1;
  static final int PF_GRAY = 6;
  static final int SAMP_444 = 0;
  static final int SAMP_422 = 1;
  static final int SAMP_420 = 2;
  static final int SAMP_GRAY = 3;
  static final int CS_YCBCR = 1;
  static final int CS_GRAY = 2;
  static final int FLAG_ACCURATEDCT = 4096;

  private static volatile boolean checked;

  private TurboJpegNative() {}

  /** Loads the shim (once) and checks that its constants agree with these. */
  static void ensureLoaded() {
    if (!checked) {
      NativeLibrary.load("framecodec_turbojpeg", "libturbojpeg.so.0");
      checkConstants();
      checked = true;
    }
  }

  private static void checkConstants() {
    if (selfCheck(COLOR_NONE, COLOR_CV2_YUV, PF_BGR, PF_RGB, PF_GRAY, SAMP_444, SAMP_422, SAMP_420,
        SAMP_GRAY) == 0) {
      throw new NativeCodecException("Java and C constants of the TurboJPEG shim disagree");
    }
  }

  static native int selfCheck(int colorNone, int colorCv2Yuv, int pfBgr, int pfRgb, int pfGray,
      int samp444, int samp422, int samp420, int sampGray);

  static native long create();

  static native void destroy(long handle);

  /** Bytes of colour-conversion scratch the handle holds now. */
  static native long scratchBytes(long handle);

  static native long bufSize(int width, int height, int subsamp);

  static native int compress(long handle, Object src, boolean srcIsArray, int srcOffset,
      int width, int pitch, int height, int pixelFormat, int color, int subsamp, int quality,
      int flags, Object dst, boolean dstIsArray, int dstOffset);

  static native int compressPlanes(long handle, Object src, boolean srcIsArray, int yOffset,
      int yStride, int uOffset, int vOffset, int chromaStride, boolean interleavedUv, int width,
      int height, int quality, int flags, Object dst, boolean dstIsArray, int dstOffset);

  /** Fills {@code out} with width, height, subsampling and colourspace. */
  static native void readHeader(long handle, Object src, boolean srcIsArray, int offset,
      int length, int[] out);

  /** Decodes at 1/{@code denominator} (1, 2, 4 or 8) of the JPEG's size; width and height are the scaled ones. */
  static native void decompress(long handle, Object src, boolean srcIsArray, int offset,
      int length, int denominator, Object dst, boolean dstIsArray, int dstOffset, int width,
      int pitch, int height, int pixelFormat, int color, int flags);

  static native void decompressToPlanes(long handle, Object src, boolean srcIsArray,
      int offset, int length, Object dst, boolean dstIsArray, int yOffset, int yStride, int uOffset,
      int vOffset, int chromaStride, int width, int height, int flags);

  /**
   * Decodes at 1/8 scale into the handle's scratch and discards the result, stopping at the first
   * libjpeg warning: throws {@link org.framecodec.CorruptPayloadException} where
   * {@link #decompress} would. See {@code fc_validate}.
   */
  static native void validate(long handle, Object src, boolean srcIsArray, int offset, int length);
}
