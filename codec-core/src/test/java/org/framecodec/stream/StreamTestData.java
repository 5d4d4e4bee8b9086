package org.framecodec.stream;

import java.nio.file.Path;
import org.framecodec.CorpusFrames;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;

/** The model, face image and reference box the stream tests use, from {@link CorpusFrames}. */
final class StreamTestData {
  /**
   * The front BlazeFace model's box on astronaut-512.png, from the python3-opencv 4.6 reference
   * (see BlazeFaceDetectorTest.FRONT_REFERENCE).
   */
  static final Box ASTRONAUT_FACE = new Box(178.680f, 82.252f, 271.214f, 174.786f);

  private StreamTestData() {}

  static Path astronaut() {
    return CorpusFrames.astronautPng();
  }

  static Detector openDetector() {
    return Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
  }
}
