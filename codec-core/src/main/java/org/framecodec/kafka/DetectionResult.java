package org.framecodec.kafka;

import java.util.List;
import java.util.Objects;
import org.framecodec.detect.Detection;

/**
 * The detections of one frame as a {@link DetectionWorker} wrote them to the results topic: the
 * frame's stream id, frame number and presentation timestamp (from the record headers), its
 * detections (the record value, a {@link org.framecodec.transport.DetectionsJson} document of
 * one frame), and where the frame record was ({@code topic/partition/offset}).
 *
 * <p>{@code (streamId, frameNumber)} identifies the frame: a result seen twice (after a worker
 * failed, see {@link DetectionWorker}) has the same pair. Immutable and thread-safe.
 *
 * @param streamId the frame's stream
 * @param frameNumber the frame's position in its stream
 * @param ptsMicros the frame's presentation timestamp in microseconds
 * @param detections the frame's detections, best first, in the frame's own pixels; unmodifiable
 * @param source {@code topic/partition/offset} of the frame record, empty when the writer did
 *     not say
 */
public record DetectionResult(String streamId, long frameNumber, long ptsMicros,
    List<Detection> detections, String source) {

  /**
   * Checks the frame number and copies the detections.
   *
   * @param streamId the frame's stream
   * @param frameNumber the frame's position in its stream, 0 or more
   * @param ptsMicros the frame's presentation timestamp in microseconds
   * @param detections the frame's detections, best first
   * @param source {@code topic/partition/offset} of the frame record, empty when unknown
   */
  public DetectionResult {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(source, "source");
    if (frameNumber < 0) {
      throw new IllegalArgumentException("frame number must be 0 or more, got " + frameNumber);
    }
    detections = List.copyOf(detections);
  }
}
