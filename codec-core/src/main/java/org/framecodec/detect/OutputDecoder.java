package org.framecodec.detect;

import java.util.List;

/**
 * Turns one batch item of a model's raw outputs into candidate detections, for a model an
 * {@link OutputHead} has checked. Made by {@link OutputHead#bind}; immutable and thread-safe.
 */
@FunctionalInterface
public interface OutputDecoder {

  /**
   * Appends to {@code out} the candidates of batch item {@code item} that score at least
   * {@code minScore}, with boxes and keypoints in model-input pixels (before letterbox undo and
   * NMS, which the detector does).
   *
   * @param outputs the model's outputs in the order given to {@code bind}, each with the batch
   * @param item the item
   * @param minScore the lowest score kept
   * @param out where to write; not closed
   *     first; views valid only during this call
   */
  void decode(List<Tensor> outputs, int item, float minScore, List<Detection> out);
}
