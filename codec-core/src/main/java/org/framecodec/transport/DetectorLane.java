package org.framecodec.transport;

import java.util.List;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;

/**
 * The one way requests reach the {@link Detector}. The detector is thread-safe and pipelined, so
 * every worker calls it directly: their batches share its decode workers and model, one request's
 * payloads decode (at the model's scale, on all cores) while another's are in the model, and the
 * detector's bounded pipeline blocks a worker when it is full. Thread-safe.
 */
final class DetectorLane {
  private final Detector detector;

  DetectorLane(Detector detector) {
    this.detector = detector;
  }

  DetectionBatch detect(List<EncodedFrame> frames) {
    return detector.detectEncoded(frames);
  }
}
