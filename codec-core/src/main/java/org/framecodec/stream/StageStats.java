package org.framecodec.stream;

import java.util.Locale;

/**
 * Time spent per frame in one {@link Stage}, summed over all streams, and how many frames wait in
 * front of it. Times are wall-clock on the stage's thread (percentiles within about 3%); queue
 * depths are a snapshot plus the peak since start. Immutable.
 *
 * @param stage which stage
 * @param frames frames that went through it
 * @param meanMillis mean time per frame
 * @param p50Millis median time per frame
 * @param p99Millis 99th-percentile time per frame
 * @param queueDepth frames waiting for this stage now (0 where nothing queues in front of it)
 * @param peakQueueDepth the most frames seen waiting for it
 */
public record StageStats(Stage stage, long frames, double meanMillis, double p50Millis,
    double p99Millis, int queueDepth, int peakQueueDepth) {

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s: %d frames, mean %.2f ms, p50 %.2f, p99 %.2f, queue %d (peak %d)",
        stage.label(), frames, meanMillis, p50Millis, p99Millis, queueDepth, peakQueueDepth);
  }
}
