package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.frames.Frame;

/** The model and real frames as payloads for the protocol's tests ({@link org.framecodec.detect.DetectionMatch} compares answers). */
final class OipTestData {
  private OipTestData() {}

  static Path frontModel() {
    return CorpusFrames.frontModel();
  }

  static Frame astronaut() {
    return CorpusFrames.astronaut();
  }

  /** The astronaut portrait (one face) first, then the three 1080p photographs, as {@code options} payloads. */
  static List<EncodedFrame> frames(EncodeOptions options) {
    return CorpusFrames.faceThenPhotos(options);
  }

  /**
   * What our own detector (the front model, in-process) finds in {@code frames}: the answer a
   * peer is held to. The astronaut, first, has its one face, or there is nothing to compare.
   */
  static List<List<Detection>> localDetections(List<EncodedFrame> frames) {
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(frontModel()))) {
      List<List<Detection>> expected = detector.detectEncoded(frames).all();
      assertEquals(1, expected.get(0).size(), "local detections of the astronaut: " + expected.get(0));
      return expected;
    }
  }

  /** The same frames as cv2-yuv q80 payloads (the source recipe). */
  static List<EncodedFrame> frames() {
    return frames(EncodeOptions.cv2Yuv(80));
  }
}
