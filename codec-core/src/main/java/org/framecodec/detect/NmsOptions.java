package org.framecodec.detect;

import java.util.Locale;

/**
 * Post-processing settings: which candidates count, how much two boxes of one class may overlap,
 * and how many detections a frame may return.
 *
 * <ul>
 *   <li>{@code scoreThreshold} in [0, 1]: candidates scoring <b>at least</b> this are kept.
 *   <li>{@code iouThreshold} in [0, 1]: a box is suppressed by a better box of the same class when
 *       their IoU is <b>greater than</b> this (so 1 suppresses nothing, 0 any overlap).
 *   <li>{@code maxDetections} &ge; 1: the best this many survive, over all classes.
 * </ul>
 *
 * Immutable and thread-safe; validated at construction with the bad value in the message.
 */
public record NmsOptions(float scoreThreshold, float iouThreshold, int maxDetections) {

  /**
   * Checks every value's range.
   *
   * @param scoreThreshold the lowest score kept, in [0, 1]
   * @param iouThreshold IoU above which the worse box is suppressed, in [0, 1]
   * @param maxDetections the most detections kept, at least 1
   */
  public NmsOptions {
    if (!(scoreThreshold >= 0f && scoreThreshold <= 1f)) {
      throw new IllegalArgumentException("score threshold must be in [0, 1], got " + scoreThreshold);
    }
    if (!(iouThreshold >= 0f && iouThreshold <= 1f)) {
      throw new IllegalArgumentException("IoU threshold must be in [0, 1], got " + iouThreshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("max detections must be at least 1, got " + maxDetections);
    }
  }

  /**
   * {@return these options with another score threshold}
   *
   * @param value the lowest score kept, in [0, 1]
   */
  public NmsOptions withScoreThreshold(float value) {
    return new NmsOptions(value, iouThreshold, maxDetections);
  }

  /**
   * {@return these options with another IoU threshold}
   *
   * @param value IoU above which the worse box is suppressed, in [0, 1]
   */
  public NmsOptions withIouThreshold(float value) {
    return new NmsOptions(scoreThreshold, value, maxDetections);
  }

  /**
   * {@return these options with another detection cap}
   *
   * @param value the most detections kept, at least 1
   */
  public NmsOptions withMaxDetections(int value) {
    return new NmsOptions(scoreThreshold, iouThreshold, value);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "score >= %s, IoU > %s suppressed, at most %d",
        scoreThreshold, iouThreshold, maxDetections);
  }
}
