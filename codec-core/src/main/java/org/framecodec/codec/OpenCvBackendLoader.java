package org.framecodec.codec;

import org.framecodec.Limits;
import org.framecodec.NativeCodecException;

/** Opens the OpenCV backend only when asked, so the interface never links OpenCV classes. */
final class OpenCvBackendLoader {
  private OpenCvBackendLoader() {}

  static JpegCodec open(Limits limits) {
    try {
      Class.forName("org.bytedeco.opencv.global.opencv_imgcodecs", false,
          OpenCvBackendLoader.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new NativeCodecException("the opencv backend needs org.bytedeco:opencv-platform "
          + "on the classpath (an optional dependency of codec-core)", e);
    }
    return new OpenCvJpegCodec(limits);
  }
}
