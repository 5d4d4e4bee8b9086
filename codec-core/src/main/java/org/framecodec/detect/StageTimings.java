package org.framecodec.detect;

/**
 * Wall-clock nanoseconds one {@link Detector} call spent in each stage, summed over the forward
 * passes the batch needed. {@code decodeNanos} is 0 when frames (not payloads) were passed in.
 * Measured with {@link System#nanoTime()} around each stage, so the stages add up to slightly less
 * than {@link #totalNanos()}, which also counts bookkeeping between them. Immutable.
 */
public record StageTimings(long decodeNanos, long preprocessNanos, long inferenceNanos,
    long postprocessNanos, long totalNanos) {

  /**
   * {@return the sum of this and another call's timings, for accumulating over many batches}
   *
   * @param o the other call's timings
   */
  public StageTimings plus(StageTimings o) {
    return new StageTimings(decodeNanos + o.decodeNanos, preprocessNanos + o.preprocessNanos,
        inferenceNanos + o.inferenceNanos, postprocessNanos + o.postprocessNanos,
        totalNanos + o.totalNanos);
  }

  /** {@return nothing measured yet: the start value for {@link #plus}} */
  public static StageTimings zero() {
    return new StageTimings(0, 0, 0, 0, 0);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "decode %.3f ms, pre-process %.3f ms, inference %.3f ms, post-process %.3f ms, total %.3f ms",
        decodeNanos / 1e6, preprocessNanos / 1e6, inferenceNanos / 1e6, postprocessNanos / 1e6,
        totalNanos / 1e6);
  }
}
