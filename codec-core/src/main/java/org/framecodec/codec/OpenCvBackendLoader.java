package org.framecodec.codec;

import org.framecodec.Limits;
import org.framecodec.NativeCodecException;

/** Opens the OpenCV backend only when asked, so the interface never links OpenCV classes. */
final class OpenCvBackendLoader {
  private static final String PROBE = "org.bytedeco.opencv.global.opencv_imgcodecs";

  private OpenCvBackendLoader() {}

  static JpegCodec open(Limits limits) {
    try {
      Class.forName(PROBE, false, OpenCvBackendLoader.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new NativeCodecException("the opencv backend needs org.bytedeco:opencv-platform "
          + "on the classpath (an optional dependency of codec-core)", e);
    }
    return new OpenCvJpegCodec(limits);
  }

  /** True when OpenCV's classes are on the classpath (its natives are not loaded to find out). */
  static boolean isAvailable() {
    try {
      Class.forName(PROBE, false, OpenCvBackendLoader.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
