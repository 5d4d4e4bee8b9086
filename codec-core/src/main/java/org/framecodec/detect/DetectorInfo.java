package org.framecodec.detect;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What an open {@link Detector} is actually doing: the model, head, pre- and post-processing it
 * resolved, where it runs, why it is not on the GPU when a GPU was asked for, and how it batches.
 * Immutable.
 *
 * @param model the model file
 * @param head the head's name
 * @param input the pre-processing in use (the override, or the head's default for the model)
 * @param nms the post-processing in use
 * @param requested the device asked for
 * @param target where inference runs
 * @param fallbackReason why {@code target} is the CPU although {@code requested} was not; empty
 *     otherwise (and for {@link DnnDevice#CPU})
 * @param dynamicBatch true when one forward pass takes many frames; false when the model is fixed
 *     at batch 1 (declared so, or failing at batch 2) and runs frame by frame
 * @param maxBatch the most frames one forward pass takes (1 when not {@code dynamicBatch})
 * @param decodeThreads worker threads that decode and pre-process (0: the calling thread does)
 * @param scaledDecode true when payloads are decoded at the model's scale, false at full size
 * @param gpuDecode what decodes the GPU's share of payloads ("nvJPEG backend 3 on sm_90, measured
 *     share"), or "off" and why
 * @param modelInstances copies of the network, each with its own inference thread (and on CUDA
 *     its own stream), taking filled batches in turn
 */
public record DetectorInfo(Path model, String head, InputSpec input, NmsOptions nms,
    DnnDevice requested, DnnTarget target, Optional<String> fallbackReason, boolean dynamicBatch,
    int maxBatch, int decodeThreads, boolean scaledDecode, String gpuDecode, int modelInstances) {

  /**
   * Checks that every field is present.
   *
   * @param model the model file
   * @param head the head's name
   * @param input the pre-processing
   * @param nms the post-processing
   * @param requested the device asked for
   * @param target the target that runs
   * @param fallbackReason why the CPU runs, when a GPU was asked for
   * @param dynamicBatch true when one forward pass takes many frames
   * @param maxBatch the most frames one forward pass takes
   * @param decodeThreads worker threads that decode and pre-process
   * @param scaledDecode true when payloads are decoded at the model's scale
   * @param gpuDecode what decodes the GPU's share of payloads, or "off" and why
   * @param modelInstances copies of the network taking batches in turn
   */
  public DetectorInfo {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(nms, "nms");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
    Objects.requireNonNull(gpuDecode, "gpuDecode");
  }
}
