package org.framecodec.bench;

import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Image files and OpenCV images as {@link Frame}s, for the command line and the benchmarks.
 * Every frame returned is a new, tightly packed BGR frame in a Java array that the caller owns.
 * Stateless and thread-safe.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * Reads any format OpenCV's {@code imread} decodes (PNG, JPEG, ...) as BGR; throws
   * {@link IllegalArgumentException} naming the file when it cannot.
   */
  public static Frame readBgr(Path file) {
    Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
    try {
      if (m == null || m.empty()) {
        throw new IllegalArgumentException("cannot read image " + file
            + " (not an image format OpenCV decodes, or damaged)");
      }
      return toFrame(m);
    } finally {
      if (m != null) {
        m.deallocate();
      }
    }
  }

  /** Copies an 8-bit 3-channel (BGR) Mat, any row step, into a new frame. */
  public static Frame toFrame(Mat m) {
    if (m.channels() != 3 || m.elemSize1() != 1) {
      throw new IllegalArgumentException("expected an 8-bit 3-channel image, got OpenCV type " + m.type());
    }
    int rowBytes = m.cols() * 3;
    byte[] px = new byte[rowBytes * m.rows()];
    BytePointer data = m.data();
    for (int y = 0; y < m.rows(); y++) {
      data.position(y * m.step()).get(px, y * rowBytes, rowBytes);
    }
    return Frame.wrap(px, PixelFormat.BGR, m.cols(), m.rows());
  }
}
