package org.framecodec.stream;

import java.util.EnumMap;
import java.util.Map;
import org.framecodec.batch.LatencyHistogram;

/** Per-frame time of each {@link Stage}, across all streams; thread-safe (lock-free histograms). */
final class StageClocks {
  private final Map<Stage, LatencyHistogram> clocks = new EnumMap<>(Stage.class);

  StageClocks() {
    for (Stage s : Stage.values()) {
      clocks.put(s, new LatencyHistogram());
    }
  }

  void record(Stage stage, long nanos) {
    clocks.get(stage).record(nanos);
  }

  StageStats snapshot(Stage stage, int queueDepth, int peakQueueDepth) {
    LatencyHistogram h = clocks.get(stage);
    return new StageStats(stage, h.count(), h.mean() / 1e6, h.percentile(50) / 1e6,
        h.percentile(99) / 1e6, queueDepth, peakQueueDepth);
  }
}
