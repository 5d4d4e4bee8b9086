package org.framecodec.stream;

import java.util.List;
import java.util.Objects;

/**
 * How a {@link StreamPipeline} ended: each stream's result, in the order they were added, and
 * the final counters. Immutable.
 *
 * @param streams per stream, its end
 * @param stats the counters when the last stream ended
 */
public record PipelineResult(List<StreamResult> streams, PipelineStats stats) {
  /**
   * Copies the list.
   *
   * @param streams per stream, its end
   * @param stats the counters when the last stream ended
   */
  public PipelineResult {
    streams = List.copyOf(streams);
    Objects.requireNonNull(stats, "stats");
  }

  /** {@return whether every stream ended without a failure} */
  public boolean ok() {
    return streams.stream().allMatch(StreamResult::ok);
  }

  /**
   * {@return the result of stream {@code id}}
   *
   * @param id the stream
   */
  public StreamResult stream(String id) {
    for (StreamResult r : streams) {
      if (r.streamId().equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no stream '" + id + "'");
  }
}
