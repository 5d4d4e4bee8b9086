package org.framecodec.detect;

import java.util.List;
import java.util.Objects;

/**
 * One detected object: its box, score in [0, 1], class id and landmarks (empty for heads without
 * any). Coordinates are in the pixels of the frame that was passed in, after undoing the resize
 * and padding of pre-processing; boxes are clipped to that frame. Immutable.
 *
 * @param box where the object is
 * @param score confidence in [0, 1]: a sigmoid probability for BlazeFace, objectness times class
 *     probability for YOLOv5
 * @param classId index into the model's class list; always 0 for BlazeFace (face)
 * @param keypoints landmarks in the head's order (BlazeFace: right eye, left eye, nose tip, mouth,
 *     right ear tragion, left ear tragion, "right" meaning the subject's right)
 */
public record Detection(Box box, float score, int classId, List<Keypoint> keypoints) {

  /**
   * Checks the score and class id and copies the keypoints.
   *
   * @param box where the object is
   * @param score confidence in [0, 1]
   * @param classId index into the model's class list
   * @param keypoints landmarks in the head's order
   */
  public Detection {
    Objects.requireNonNull(box, "box");
    keypoints = List.copyOf(keypoints);
    if (!(score >= 0f && score <= 1f)) {
      throw new IllegalArgumentException("score must be in [0, 1], got " + score);
    }
    if (classId < 0) {
      throw new IllegalArgumentException("class id must not be negative, got " + classId);
    }
  }

  /**
   * A detection without landmarks.
   *
   * @param box the box, in frame pixels
   * @param score confidence, in [0, 1]
   * @param classId class index, from 0
   */
  public Detection(Box box, float score, int classId) {
    this(box, score, classId, List.of());
  }
}
