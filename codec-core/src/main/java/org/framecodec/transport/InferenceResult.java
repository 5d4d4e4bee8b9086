package org.framecodec.transport;

import java.util.List;
import org.framecodec.detect.Detection;

/**
 * What one request to an inference service gave: the detections of each frame sent, in order,
 * and the body sizes both ways (HTTP headers not included), which is what a transport benchmark
 * compares. Immutable.
 *
 * @param detections per frame, its detections; unmodifiable
 * @param requestBytes bytes of the request body
 * @param responseBytes bytes of the response body
 */
public record InferenceResult(List<List<Detection>> detections, long requestBytes, long responseBytes) {
  /**
   * Copies the detections into an unmodifiable list.
   *
   * @param detections per frame, its detections
   * @param requestBytes bytes of the request body
   * @param responseBytes bytes of the response body
   */
  public InferenceResult {
    detections = List.copyOf(detections);
  }
}
