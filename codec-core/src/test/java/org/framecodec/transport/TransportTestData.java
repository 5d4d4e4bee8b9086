package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.frames.Frame;
import org.framecodec.codec.EncodedFrame;

/**
 * The transport tests' payloads (the astronaut and the 1080p photographs of {@link CorpusFrames} as
 * cv2-yuv q80, the source recipe) and detection comparison.
 */
final class TransportTestData {
  private TransportTestData() {}

  /** The astronaut portrait (one face) first, then the three 1080p photographs. */
  static List<EncodedFrame> frames() {
    List<Frame> raw = new ArrayList<>();
    raw.add(CorpusFrames.astronaut());
    for (String name : CorpusFrames.PHOTOS) {
      raw.add(CorpusFrames.photo(name));
    }
    List<EncodedFrame> out = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      long ts = 1_718_000_000_000_000L;
      for (Frame f : raw) {
        out.add(codec.encodeFrame(f, EncodeOptions.cv2Yuv(80)).toBuilder()
            .timestampMicros(ts += 20_000).streamId("cam-1").build());
      }
    }
    return out;
  }

  /** What our own detector finds in each payload, decoded in-process. */
  static List<List<Detection>> local(Detector detector, List<EncodedFrame> frames) {
    return detector.detectEncoded(frames).all();
  }

  /**
   * Every expected detection has a counterpart with box IoU >= minIou and score within
   * scoreTolerance, and the other way round; the counts are equal.
   */
  static void assertMatch(List<List<Detection>> expected, List<List<Detection>> actual, double minIou,
      double scoreTolerance, String what) {
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
            what + ": frame " + f + " score " + best.score() + " vs local " + d.score());
        assertEquals(d.classId(), best.classId(), what + ": class");
        assertEquals(d.keypoints().size(), best.keypoints().size(), what + ": keypoints");
      }
    }
  }
}
