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
  private final int gpuDecoded;

  public DetectionBatch(List<List<Detection>> perFrame, StageTimings timings) {
    this(perFrame, timings, 0);
  }

  /** With the number of payloads nvJPEG decoded on the GPU (the rest were decoded on the CPU). */
  public DetectionBatch(List<List<Detection>> perFrame, StageTimings timings, int gpuDecoded) {
    this.perFrame = perFrame.stream().map(List::copyOf).toList();
    this.timings = Objects.requireNonNull(timings, "timings");
    if (gpuDecoded < 0 || gpuDecoded > perFrame.size()) {
      throw new IllegalArgumentException("GPU-decoded count must be 0.." + perFrame.size() + ", got " + gpuDecoded);
    }
    this.gpuDecoded = gpuDecoded;
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

  /** Payloads of this batch that nvJPEG decoded on the GPU; 0 when all were decoded on the CPU. */
  public int gpuDecoded() {
    return gpuDecoded;
  }

  @Override
  public String toString() {
    return "DetectionBatch{" + perFrame.size() + " frames, " + timings + "}";
  }
}
