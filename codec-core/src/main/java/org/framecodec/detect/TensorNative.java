package org.framecodec.detect;

import java.nio.FloatBuffer;
import org.framecodec.NativeCodecException;
import org.framecodec.natives.NativeLibrary;

/**
 * The JNI entry of the model-input kernel ({@code fc_tensor.c}), which lives in FrameCodec's
 * native library beside the TurboJPEG shim. Package-private: {@link InputWriter} is its only
 * caller and checks every geometry first; the C side checks again.
 */
final class TensorNative {
  static final int INTERP_LINEAR = 0;
  static final int INTERP_AREA = 1;
  /** Entries of the geometry array, in the order the C side reads them. */
  static final int GEOMETRY_INTS = 16;

  private static volatile boolean checked;

  private TensorNative() {}

  static void ensureLoaded() {
    if (!checked) {
      NativeLibrary.load("framecodec_turbojpeg", "libturbojpeg.so.0");
      if (selfCheck(INTERP_LINEAR, INTERP_AREA) == 0) {
        throw new NativeCodecException("Java and C constants of the model-input kernel disagree");
      }
      checked = true;
    }
  }

  private static native int selfCheck(int linear, int area);

  /**
   * Writes an 8-bit image into a slot of a direct float tensor.
   *
   * @param geometry source width, height, row pitch, channels, 1 if RGB; slot width, height, 1 if
   *     NCHW, 1 if RGB, pad value, interpolation, resized width, resized height, pad x, pad y, and
   *     the slot's offset in floats
   * @param norm mean then scale, three each, in the tensor's channel order
   */
  static native void letterbox(Object src, boolean srcIsArray, int srcOffset, int[] geometry,
      float[] norm, FloatBuffer tensor);
}
