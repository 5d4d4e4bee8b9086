package org.framecodec.detect;

/** Opens the OpenCV detector only when asked, so the API types never link OpenCV classes. */
final class DetectorLoader {
  private DetectorLoader() {}

  static Detector open(DetectorOptions options) {
    try {
      Class.forName("org.bytedeco.opencv.global.opencv_dnn", false,
          DetectorLoader.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new DetectorException("the detector needs org.bytedeco:opencv-platform on the "
          + "classpath (an optional dependency of codec-core)", e);
    }
    return OpenCvDetector.open(options);
  }
}
