package org.framecodec.stream;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;

/**
 * The model and face image the stream tests use, read from where the detector tests keep them
 * (no copies), and the moving-face video made from them.
 */
final class StreamTestData {
  /**
   * The front BlazeFace model's box on astronaut-512.png, from the python3-opencv 4.6 reference
   * (see BlazeFaceDetectorTest.FRONT_REFERENCE).
   */
  static final Box ASTRONAUT_FACE = new Box(178.680f, 82.252f, 271.214f, 174.786f);

  private StreamTestData() {}

  static Path frontModel() {
    Path p = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "models",
        "blazeface", "face_detection_front_128x128_dynbatch.onnx").normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test model missing: " + p.toAbsolutePath());
    }
    return p;
  }

  static Path astronaut() {
    try {
      return Path.of(StreamTestData.class.getResource("/org/framecodec/detect/astronaut-512.png").toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("astronaut-512.png missing from the test resources", e);
    }
  }

  static Detector openDetector() {
    return Detector.open(DetectorOptions.blazeFace(frontModel()));
  }
}
