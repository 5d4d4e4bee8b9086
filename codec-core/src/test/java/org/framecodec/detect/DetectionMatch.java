package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/**
 * Compares two detectors' answers for the same frames, as the client/server tests do (a peer or
 * a server against our own detector in-process). Stateless.
 */
public final class DetectionMatch {
  private DetectionMatch() {}

  /**
   * Every expected detection has a counterpart with box IoU >= minIou and score within
   * scoreTolerance, and the other way round; the counts are equal. With {@code keypoints}, the
   * counterparts also have as many keypoints.
   */
  public static void assertMatch(List<List<Detection>> expected, List<List<Detection>> actual, double minIou,
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
            what + ": frame " + f + " score " + best.score() + " vs expected " + d.score());
        assertEquals(d.classId(), best.classId(), what + ": class");
        if (keypoints) {
          assertEquals(d.keypoints().size(), best.keypoints().size(), what + ": keypoints");
        }
      }
    }
  }
}
