package org.framecodec.kafka;

import org.framecodec.batch.BatcherStats;

/**
 * A snapshot of a {@link DetectionWorker}'s counters. Each polled frame record ends in one place:
 *
 * <pre>
 *   polled = resultsAcked + deadLettered + abandoned + inFlight
 * </pre>
 *
 * <p>{@code abandoned} counts records whose partition left this worker (a rebalance) before
 * their result was written; the partition's next owner reads them again from the committed
 * offset, so they are not lost. Immutable and thread-safe; the counters are read one after
 * another, so a snapshot taken while records move may be off by those in transit.
 */
public final class DetectionWorkerStats {
  private final long polled;
  private final long detected;
  private final long resultsAcked;
  private final long deadLettered;
  private final long abandoned;
  private final int inFlight;
  private final long commits;
  private final long partitionsAssigned;
  private final long partitionsRevoked;
  private final long partitionsLost;
  private final long pauses;
  private final int ownedPartitions;
  private final BatcherStats batcher;

  DetectionWorkerStats(long polled, long detected, long resultsAcked, long deadLettered,
      long abandoned, int inFlight, long commits, long partitionsAssigned, long partitionsRevoked,
      long partitionsLost, long pauses, int ownedPartitions, BatcherStats batcher) {
    this.polled = polled;
    this.detected = detected;
    this.resultsAcked = resultsAcked;
    this.deadLettered = deadLettered;
    this.abandoned = abandoned;
    this.inFlight = inFlight;
    this.commits = commits;
    this.partitionsAssigned = partitionsAssigned;
    this.partitionsRevoked = partitionsRevoked;
    this.partitionsLost = partitionsLost;
    this.pauses = pauses;
    this.ownedPartitions = ownedPartitions;
    this.batcher = batcher;
  }

  /** {@return frame records received from the broker} */
  public long polled() {
    return polled;
  }

  /** {@return frames the detector ran on} */
  public long detected() {
    return detected;
  }

  /** {@return results the broker acknowledged} */
  public long resultsAcked() {
    return resultsAcked;
  }

  /** {@return poison records written to the dead-letter topic and acknowledged} */
  public long deadLettered() {
    return deadLettered;
  }

  /** {@return records given up because their partition moved away before their result was written} */
  public long abandoned() {
    return abandoned;
  }

  /** {@return records polled whose result or dead letter is not acknowledged yet} */
  public int inFlight() {
    return inFlight;
  }

  /** {@return offset commits sent (asynchronous and synchronous)} */
  public long commits() {
    return commits;
  }

  /** {@return partitions assigned to this worker so far, counting each assignment} */
  public long partitionsAssigned() {
    return partitionsAssigned;
  }

  /** {@return partitions taken away in a rebalance (handed over cleanly, offsets committed)} */
  public long partitionsRevoked() {
    return partitionsRevoked;
  }

  /** {@return partitions lost without a hand-over (the group expelled this worker); nothing committed for them} */
  public long partitionsLost() {
    return partitionsLost;
  }

  /** {@return times the worker paused fetching because {@code maxInFlight} records were in progress} */
  public long pauses() {
    return pauses;
  }

  /** {@return partitions owned now} */
  public int ownedPartitions() {
    return ownedPartitions;
  }

  /** {@return the batcher's counters: batch sizes, triggers, waits} */
  public BatcherStats batcher() {
    return batcher;
  }

  @Override
  public String toString() {
    return "DetectionWorkerStats{polled " + polled + ", detected " + detected + ", results "
        + resultsAcked + ", dead letters " + deadLettered + ", abandoned " + abandoned
        + ", in flight " + inFlight + ", commits " + commits + ", partitions +" + partitionsAssigned
        + " -" + partitionsRevoked + " lost " + partitionsLost + ", owned " + ownedPartitions + "}";
  }
}
