package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.detect.Detection;
import org.framecodec.frames.Frame;

/** The model, real frames as payloads, and detection comparison for the protocol's tests. */
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
    List<Frame> raw = new ArrayList<>();
    raw.add(astronaut());
    for (String name : CorpusFrames.PHOTOS) {
      raw.add(CorpusFrames.photo(name));
    }
    List<EncodedFrame> out = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (Frame f : raw) {
        out.add(codec.encodeFrame(f, options));
      }
    }
    return out;
  }

  /** The same frames as cv2-yuv q80 payloads (the source recipe). */
  static List<EncodedFrame> frames() {
    return frames(EncodeOptions.cv2Yuv(80));
  }

  /**
   * Every expected detection has a counterpart with box IoU >= minIou and score within
   * scoreTolerance, and the other way round; the counts are equal.
   */
  static void assertMatch(List<List<Detection>> expected, List<List<Detection>> actual, double minIou,
      double scoreTolerance, boolean keypoints, String what) {
    assertEquals(expected.size(), actual.size(), what + ": frame count");
    for (int f = 0; f < expected.size(); f++) {
      List<Detection> e = expected.get(f);
      List<Detection> a = actual.get(f);
      assertEquals(e.size(), a.size(), what + ": detections in frame " + f + ", expected " + e + " got " + a);
      for (Detection d : e) {
        Detection best = null;
        for (Detection c : a) {
          if (best == null || d.box().iou(c.box()) > d.box().iou(best.box())) {
            best = c;
          }
        }
        if (best == null || d.box().iou(best.box()) < minIou) {
          fail(what + ": frame " + f + " has no box with IoU >= " + minIou + " to " + d + " in " + a);
        }
        assertTrue(Math.abs(d.score() - best.score()) <= scoreTolerance,
            what + ": frame " + f + " score " + best.score() + " vs " + d.score());
        assertEquals(d.classId(), best.classId(), what + ": class");
        if (keypoints) {
          assertEquals(d.keypoints().size(), best.keypoints().size(), what + ": keypoints");
        }
      }
    }
  }
}
