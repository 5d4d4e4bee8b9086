package org.framecodec.detect;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/** The models and images the detector tests use, all inside the project (see the NOTICE files). */
final class TestData {
  private TestData() {}

  /** {@code src/test/resources/models/blazeface/<name>} (tests run in codec-core/). */
  static Path model(String name) {
    Path p = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "models", "blazeface", name).normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test model missing: " + p.toAbsolutePath());
    }
    return p;
  }

  static Path frontModel() {
    return model("face_detection_front_128x128_dynbatch.onnx");
  }

  static Path backModel() {
    return model("face_detection_back_256x256_dynbatch.onnx");
  }

  static Path resource(String name) {
    try {
      return Path.of(TestData.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource missing: " + name, e);
    }
  }

  /** The astronaut portrait, 512x512 BGR. */
  static Frame astronaut() {
    return readBgr(resource("astronaut-512.png"));
  }

  /** An image file as a tightly packed BGR frame in a Java array. */
  static Frame readBgr(Path file) {
    Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
    try {
      if (m.empty()) {
        throw new IllegalStateException("cannot read " + file);
      }
      byte[] px = new byte[m.rows() * m.cols() * 3];
      BytePointer data = m.data();
      for (int y = 0; y < m.rows(); y++) {
        data.position(y * m.step()).get(px, y * m.cols() * 3, m.cols() * 3);
      }
      return Frame.wrap(px, PixelFormat.BGR, m.cols(), m.rows());
    } finally {
      m.deallocate();
    }
  }
}
