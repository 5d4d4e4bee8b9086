package org.framecodec.batch;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link Batcher}'s counters, taken under its lock so that they add up:
 *
 * <pre>
 *   accepted = delivered + droppedOldest + handedBack + queueDepth + inFlight
 *   offered  = accepted + rejected + interrupted
 * </pre>
 *
 * <p>"Delivered" counts items whose consumer call has returned (normally or by throwing). Wait
 * times run from submit to the start of the consumer call, on the batcher's {@link NanoClock}.
 * The wait percentiles come from a {@link LatencyHistogram} (within about 3%).
 *
 * <p>Immutable and thread-safe.
 */
public final class BatcherStats {
  private final int queueDepth;
  private final int peakQueueDepth;
  private final int queueCapacity;
  private final int inFlight;
  private final long accepted;
  private final long rejected;
  private final long interrupted;
  private final long droppedOldest;
  private final long delivered;
  private final long handedBack;
  private final long batches;
  private final long consumerFailures;
  private final long[] batchSizeCounts;
  private final Map<BatchTrigger, Long> batchesByTrigger;
  private final long waitP50Nanos;
  private final long waitP99Nanos;
  private final long waitMaxNanos;

  BatcherStats(int queueDepth, int peakQueueDepth, int queueCapacity, int inFlight, long accepted,
      long rejected, long interrupted, long droppedOldest, long delivered, long handedBack,
      long batches, long consumerFailures, long[] batchSizeCounts,
      Map<BatchTrigger, Long> batchesByTrigger, LatencyHistogram waits) {
    this.queueDepth = queueDepth;
    this.peakQueueDepth = peakQueueDepth;
    this.queueCapacity = queueCapacity;
    this.inFlight = inFlight;
    this.accepted = accepted;
    this.rejected = rejected;
    this.interrupted = interrupted;
    this.droppedOldest = droppedOldest;
    this.delivered = delivered;
    this.handedBack = handedBack;
    this.batches = batches;
    this.consumerFailures = consumerFailures;
    this.batchSizeCounts = batchSizeCounts.clone();
    this.batchesByTrigger = new EnumMap<>(batchesByTrigger);
    this.waitP50Nanos = waits.percentile(50);
    this.waitP99Nanos = waits.percentile(99);
    this.waitMaxNanos = waits.max();
  }

  /** {@return the items waiting to be batched now} */
  public int queueDepth() {
    return queueDepth;
  }

  /** {@return the largest {@link #queueDepth()} seen since the batcher was built} */
  public int peakQueueDepth() {
    return peakQueueDepth;
  }

  /** {@return the most items that may wait; the bound the overflow policy enforces} */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** {@return the items in the batch being delivered now; 0 when none} */
  public int inFlight() {
    return inFlight;
  }

  /** {@return the items {@code submit} was called with: accepted, rejected or interrupted} */
  public long offered() {
    return accepted + rejected + interrupted;
  }

  /** {@return the items that entered the queue} */
  public long accepted() {
    return accepted;
  }

  /** {@return the items refused because the queue was full ({@link OverflowPolicy#REJECT})} */
  public long rejected() {
    return rejected;
  }

  /**
   * {@return the items whose producer was interrupted while waiting for room ({@link
   * OverflowPolicy#BLOCK})}
   */
  public long interrupted() {
    return interrupted;
  }

  /** {@return the queued items pushed out by newer ones ({@link OverflowPolicy#DROP_OLDEST})} */
  public long droppedOldest() {
    return droppedOldest;
  }

  /** {@return the items lost to backpressure in any way: rejected, interrupted or dropped} */
  public long lost() {
    return rejected + interrupted + droppedOldest;
  }

  /**
   * {@return the items whose batch the consumer has finished with (including batches it threw on)}
   */
  public long delivered() {
    return delivered;
  }

  /** {@return the items returned undelivered by {@link Batcher#closeNow()}} */
  public long handedBack() {
    return handedBack;
  }

  /** {@return the batches the consumer has finished with} */
  public long batches() {
    return batches;
  }

  /** {@return the batches on which the consumer threw} */
  public long consumerFailures() {
    return consumerFailures;
  }

  /**
   * {@return the number of delivered batches of exactly {@code size} items; 0 for sizes never seen}
   *
   * @param size items per batch
   */
  public long batchesOfSize(int size) {
    return size >= 0 && size < batchSizeCounts.length ? batchSizeCounts[size] : 0;
  }

  /**
   * {@return the batch-size histogram: element {@code n} counts batches of {@code n} items} A copy.
   */
  public long[] batchSizeCounts() {
    return batchSizeCounts.clone();
  }

  /**
   * {@return the delivered batches emitted for {@code trigger}}
   *
   * @param trigger the trigger to count
   */
  public long batchesBy(BatchTrigger trigger) {
    return batchesByTrigger.getOrDefault(trigger, 0L);
  }

  /** {@return the median wait from submit to delivery, in nanoseconds} */
  public long waitP50Nanos() {
    return waitP50Nanos;
  }

  /** {@return 99th-percentile wait from submit to delivery, in nanoseconds} */
  public long waitP99Nanos() {
    return waitP99Nanos;
  }

  /** {@return the longest wait from submit to delivery, in nanoseconds} */
  public long waitMaxNanos() {
    return waitMaxNanos;
  }

  @Override
  public String toString() {
    StringBuilder sizes = new StringBuilder();
    for (int n = 0; n < batchSizeCounts.length; n++) {
      if (batchSizeCounts[n] != 0) {
        sizes.append(sizes.length() == 0 ? "" : ", ").append(n).append('x').append(batchSizeCounts[n]);
      }
    }
    return "BatcherStats{queue " + queueDepth + "/" + queueCapacity + " (peak " + peakQueueDepth
        + "), in flight " + inFlight + ", accepted " + accepted + ", delivered " + delivered
        + ", rejected " + rejected + ", interrupted " + interrupted + ", dropped " + droppedOldest
        + ", handed back " + handedBack + ", batches " + batches + " [" + sizes + "] "
        + batchesByTrigger + ", consumer failures " + consumerFailures + ", wait p50 "
        + waitP50Nanos / 1000 + " us, p99 " + waitP99Nanos / 1000 + " us, max "
        + waitMaxNanos / 1000 + " us}";
  }
}
