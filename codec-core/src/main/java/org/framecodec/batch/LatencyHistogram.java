package org.framecodec.batch;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear histogram of durations in nanoseconds, for percentiles such as p50 and p99
 * without keeping every sample.
 *
 * <p>Values below 64 ns have their own bucket; above, each power of two is split into 32 equal
 * buckets, so a percentile is reported with a relative error under 1/32 (about 3%), over the
 * whole range of a {@code long}. Memory is fixed (under 16 KB) however many values are recorded.
 * Negative values, which only a clock that runs backwards produces, are recorded as 0.
 *
 * <p>Thread-safe and lock-free: many threads may record at once. A percentile read while others
 * record reflects some of their values and not others.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 5;
  private static final int SUB_COUNT = 1 << SUB_BITS;
  /** Values below this are exact: one bucket per nanosecond. */
  private static final long LINEAR_LIMIT = 2L * SUB_COUNT;
  private static final int BUCKETS = index(Long.MAX_VALUE) + 1;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong sum = new AtomicLong();
  private final AtomicLong max = new AtomicLong();

  /**
   * Records one duration.
   *
   * @param nanos the duration, in nanoseconds
   */
  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts.incrementAndGet(index(v));
    count.incrementAndGet();
    sum.addAndGet(v);
    max.accumulateAndGet(v, Math::max);
  }

  /** {@return the number of values recorded} */
  public long count() {
    return count.get();
  }

  /** {@return the largest value recorded, exact; 0 when empty} */
  public long max() {
    return max.get();
  }

  /** {@return the mean of the recorded values, exact up to overflow of the sum; 0 when empty} */
  public double mean() {
    long n = count.get();
    return n == 0 ? 0 : (double) sum.get() / n;
  }

  /**
   * {@return the value at or below which {@code percentile} percent of the recorded values lie, as
   * the
   * upper edge of its bucket (never above {@link #max()}); 0 when empty}
   *
   * @param percentile 0 to 100, e.g. 50 or 99
   */
  public long percentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be 0..100, got " + percentile);
    }
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    if (total == 0) {
      return 0;
    }
    // The rank of the value asked for, counted from 1: p50 of 10 values is the 5th.
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        return Math.min(upperEdge(i), max.get());
      }
    }
    return max.get();
  }

  /** Forgets every value. Not atomic with respect to concurrent {@link #record} calls. */
  public void reset() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.set(i, 0);
    }
    count.set(0);
    sum.set(0);
    max.set(0);
  }

  static int index(long v) {
    if (v < LINEAR_LIMIT) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) (v >>> (exp - SUB_BITS)) & (SUB_COUNT - 1);
    return (int) LINEAR_LIMIT + (exp - SUB_BITS - 1) * SUB_COUNT + sub;
  }

  /** Largest value that falls in bucket {@code index}. */
  static long upperEdge(int index) {
    if (index < LINEAR_LIMIT) {
      return index;
    }
    int k = index - (int) LINEAR_LIMIT;
    int exp = k / SUB_COUNT + SUB_BITS + 1;
    long sub = k % SUB_COUNT;
    long width = 1L << (exp - SUB_BITS);
    long lower = (1L << exp) + sub * width;
    return lower + (width - 1);
  }

  @Override
  public String toString() {
    return "LatencyHistogram{count " + count() + ", p50 " + percentile(50) + " ns, p99 "
        + percentile(99) + " ns, max " + max() + " ns}";
  }
}
