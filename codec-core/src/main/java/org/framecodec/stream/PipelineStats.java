package org.framecodec.stream;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.framecodec.batch.BatcherStats;

/**
 * A snapshot of a {@link StreamPipeline}: every stream's counters, every stage's times and queue
 * depths, and the shared batcher's counters. Immutable.
 *
 * @param elapsed time since the pipeline started
 * @param streams per stream, in the order they were added
 * @param stages per stage, in pipeline order
 * @param batcher the shared batcher's counters (batch sizes, waits)
 */
public record PipelineStats(Duration elapsed, List<StreamStats> streams, List<StageStats> stages,
    BatcherStats batcher) {

  /**
   * Copies the lists.
   *
   * @param elapsed time since the pipeline started
   * @param streams per stream
   * @param stages per stage
   * @param batcher the shared batcher's counters
   */
  public PipelineStats {
    Objects.requireNonNull(elapsed, "elapsed");
    streams = List.copyOf(streams);
    stages = List.copyOf(stages);
    Objects.requireNonNull(batcher, "batcher");
  }

  /**
   * {@return the stats of stream {@code id}}
   *
   * @param id the stream
   */
  public StreamStats stream(String id) {
    for (StreamStats s : streams) {
      if (s.streamId().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no stream '" + id + "'");
  }

  /**
   * {@return the stats of {@code stage}}
   *
   * @param stage the stage
   */
  public StageStats stage(Stage stage) {
    for (StageStats s : stages) {
      if (s.stage() == stage) {
        return s;
      }
    }
    throw new IllegalArgumentException("no stage " + stage);
  }

  /** {@return one line: elapsed time, then each stream's progress, for a live progress display} */
  public String progressLine() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%6.1f s]", elapsed.toMillis() / 1000.0));
    for (StreamStats s : streams) {
      sb.append(" | ").append(s.progress());
    }
    return sb.toString();
  }

  /** {@return a multi-line report: streams, then stages, then batch sizes} */
  public String report() {
    StringBuilder sb = new StringBuilder();
    for (StreamStats s : streams) {
      sb.append(s.progress()).append(String.format(Locale.ROOT,
          ", not analysed %d, decode errors %d, audio in %d out %d dropped %d%n", s.notAnalysed(),
          s.decodeErrors(), s.audioIn(), s.audioOut(), s.audioDropped()));
    }
    for (StageStats s : stages) {
      sb.append("  ").append(s).append(System.lineSeparator());
    }
    long batches = batcher.batches();
    sb.append(String.format(Locale.ROOT, "  batches %d, mean size %.1f%n", batches,
        batches == 0 ? 0.0 : (double) batcher.delivered() / batches));
    return sb.toString();
  }
}
