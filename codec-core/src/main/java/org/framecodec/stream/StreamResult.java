package org.framecodec.stream;

import java.util.Objects;
import java.util.Optional;
import org.framecodec.FrameCodecException;

/**
 * How one stream of a {@link StreamPipeline} ended: its final counters and, when it did not end
 * normally, the first failure (a {@link SourceUnavailableException} for a source that is gone, a
 * {@link SinkException} for an output that cannot be written, an {@link
 * UnsupportedStreamException} or {@link CorruptStreamException} for bad input, ...). A stream
 * ended by {@link StreamPipeline#stop()} has no failure. Immutable.
 *
 * @param streamId the stream
 * @param stats its counters at the end
 * @param failure what ended it, if not the end of its input or a stop
 */
public record StreamResult(String streamId, StreamStats stats, Optional<FrameCodecException> failure) {
  /**
   * Checks the fields.
   *
   * @param streamId the stream
   * @param stats its counters at the end
   * @param failure what ended it, if not the end of its input or a stop
   */
  public StreamResult {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(failure, "failure");
  }

  /** {@return whether the stream ended without a failure} */
  public boolean ok() {
    return failure.isEmpty();
  }
}
