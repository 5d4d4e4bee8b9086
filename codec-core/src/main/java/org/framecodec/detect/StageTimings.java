package org.framecodec.detect;

/**
 * Where one {@link Detector} call spent its time: the busy time of each stage, summed over every
 * frame and thread that worked on it, and the wall time of the whole call.
 *
 * <p>{@code decodeNanos} is 0 when frames (not payloads) were passed in. The stages run on
 * several threads and overlap (the workers fill the next batch while the model runs this one),
 * so their sum may exceed {@link #totalNanos()}: {@link #overlapNanos()} is how much work was
 * hidden behind other work, by parallel workers or by the pipeline. On the serial path (no
 * decode threads) the stages add up to slightly less than the total, which also counts
 * bookkeeping. Measured with {@link System#nanoTime()}. Immutable.
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

  /** {@return the stages' busy times added up} */
  public long busyNanos() {
    return decodeNanos + preprocessNanos + inferenceNanos + postprocessNanos;
  }

  /** {@return work done while other work ran: how far the busy times exceed the wall time, or 0} */
  public long overlapNanos() {
    return Math.max(0, busyNanos() - totalNanos);
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
