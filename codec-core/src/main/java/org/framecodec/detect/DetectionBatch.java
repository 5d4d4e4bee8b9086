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

  /**
   * A batch result; the lists are copied.
   *
   * @param perFrame for each frame in input order, its detections
   * @param timings time spent in each stage of the call
   */
  public DetectionBatch(List<List<Detection>> perFrame, StageTimings timings) {
    this(perFrame, timings, 0);
  }

  /**
   * A batch's results with the number of payloads nvJPEG decoded on the GPU (the rest were
   * decoded on the CPU).
   *
   * @param perFrame each frame's detections, in input order
   * @param timings where the time went
   * @param gpuDecoded payloads decoded on the GPU, 0..frames
   */
  public DetectionBatch(List<List<Detection>> perFrame, StageTimings timings, int gpuDecoded) {
    this.perFrame = perFrame.stream().map(List::copyOf).toList();
    this.timings = Objects.requireNonNull(timings, "timings");
    if (gpuDecoded < 0 || gpuDecoded > perFrame.size()) {
      throw new IllegalArgumentException("GPU-decoded count must be 0.." + perFrame.size() + ", got " + gpuDecoded);
    }
    this.gpuDecoded = gpuDecoded;
  }

  /** {@return the number of frames in the batch} */
  public int size() {
    return perFrame.size();
  }

  /**
   * {@return the detections of frame {@code index}, best score first (possibly empty)}
   *
   * @param index position of the item, from 0
   */
  public List<Detection> get(int index) {
    return perFrame.get(index);
  }

  /** {@return the detections of every frame, in input order} */
  public List<List<Detection>> all() {
    return perFrame;
  }

  /** {@return time spent in each stage of the call} */
  public StageTimings timings() {
    return timings;
  }

  /** {@return payloads of this batch that nvJPEG decoded on the GPU; 0 when the CPU decoded all} */
  public int gpuDecoded() {
    return gpuDecoded;
  }

  @Override
  public String toString() {
    return "DetectionBatch{" + perFrame.size() + " frames, " + timings + "}";
  }
}
