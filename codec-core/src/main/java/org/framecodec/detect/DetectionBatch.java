package org.framecodec.detect;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link Detector} call returns: the detections of each frame, in the order the frames
 * were passed in, and how long each stage took. Immutable.
 */
public final class DetectionBatch {
  private final List<List<Detection>> perFrame;
  private final StageTimings timings;

  public DetectionBatch(List<List<Detection>> perFrame, StageTimings timings) {
    this.perFrame = perFrame.stream().map(List::copyOf).toList();
    this.timings = Objects.requireNonNull(timings, "timings");
  }

  /** Number of frames in the batch. */
  public int size() {
    return perFrame.size();
  }

  /** Detections of frame {@code index}, best score first (possibly empty). */
  public List<Detection> get(int index) {
    return perFrame.get(index);
  }

  /** Detections of every frame, in input order. */
  public List<List<Detection>> all() {
    return perFrame;
  }

  public StageTimings timings() {
    return timings;
  }

  @Override
  public String toString() {
    return "DetectionBatch{" + perFrame.size() + " frames, " + timings + "}";
  }
}
