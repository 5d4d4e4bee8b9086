package org.framecodec.bench.support;

import java.util.function.IntSupplier;

/**
 * The tool's timing loop: a few untimed warm-up calls (JIT, caches, first-call allocation), then
 * wall-clock times of repeated calls. A quick look on one thread, not a benchmark: the JMH suites
 * are the measurement of record. Stateless.
 */
public final class Timing {
  private Timing() {}

  /** Milliseconds of each of {@code reps} calls after {@code warmups} untimed calls. */
  public static double[] timesMs(int warmups, int reps, IntSupplier call) {
    if (reps < 1 || warmups < 0) {
      throw new IllegalArgumentException("need reps >= 1 and warmups >= 0, got " + reps + " and " + warmups);
    }
    double[] t = new double[reps];
    int sink = 0;
    for (int i = -warmups; i < reps; i++) {
      long t0 = System.nanoTime();
      sink += call.getAsInt();
      long t1 = System.nanoTime();
      if (i >= 0) {
        t[i] = (t1 - t0) / 1e6;
      }
    }
    if (sink == 42) {
      System.out.print(""); // keeps the results alive, so the JIT cannot drop the calls
    }
    return t;
  }

  /** Median milliseconds of {@code reps} calls after {@code warmups} untimed calls. */
  public static double medianMs(int warmups, int reps, IntSupplier call) {
    return Stats.median(timesMs(warmups, reps, call));
  }
}
