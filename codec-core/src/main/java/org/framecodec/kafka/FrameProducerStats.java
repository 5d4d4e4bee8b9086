package org.framecodec.kafka;

import org.framecodec.batch.BatcherStats;

/**
 * A snapshot of a {@link FrameProducer}'s counters. Every frame offered to the producer ends in
 * exactly one place, so once {@link FrameProducer#flush()} has returned:
 *
 * <pre>
 *   offered = acked + dropped + encodeFailures + sendFailures + unsent
 * </pre>
 *
 * <p>and while frames are moving, the rest are {@code queued} (waiting to be encoded, in the
 * batcher) or {@link #inFlight()} (handed to the Kafka client, not yet acknowledged).
 * {@code dropped} counts the frames the {@link org.framecodec.batch.OverflowPolicy} refused or
 * pushed out while the broker or the encoder could not keep up; {@code sendFailures} the records
 * the Kafka client gave up on (after {@code delivery.timeout.ms}, or too large); {@code unsent}
 * the frames still waiting for the broker when {@link FrameProducer#close()} ran out of time.
 *
 * <p>Immutable and thread-safe. Counters read one after another, not under one lock, so a
 * snapshot taken while frames move may be off by the frames in transit between two counters.
 */
public final class FrameProducerStats {
  private final BatcherStats batcher;
  private final long encodeFailures;
  private final long sent;
  private final long acked;
  private final long ackedBytes;
  private final long sendFailures;
  private final long unsent;
  private final long blockedSends;

  FrameProducerStats(BatcherStats batcher, long encodeFailures, long sent, long acked,
      long ackedBytes, long sendFailures, long unsent, long blockedSends) {
    this.batcher = batcher;
    this.encodeFailures = encodeFailures;
    this.sent = sent;
    this.acked = acked;
    this.ackedBytes = ackedBytes;
    this.sendFailures = sendFailures;
    this.unsent = unsent;
    this.blockedSends = blockedSends;
  }

  /** {@return frames passed to {@code submit} or {@code send}, accepted or not} */
  public long offered() {
    return batcher.offered();
  }

  /** {@return frames lost to the overflow policy: rejected, pushed out, or interrupted while blocked} */
  public long dropped() {
    return batcher.lost();
  }

  /** {@return frames waiting in the batcher to be encoded and sent} */
  public long queued() {
    return batcher.queueDepth() + batcher.inFlight();
  }

  /** {@return frames whose encoding failed (a bad frame); logged and not sent} */
  public long encodeFailures() {
    return encodeFailures;
  }

  /** {@return records handed to the Kafka client} */
  public long sent() {
    return sent;
  }

  /** {@return records the broker acknowledged (all in-sync replicas, {@code acks=all})} */
  public long acked() {
    return acked;
  }

  /** {@return record value bytes acknowledged: raw containers, payload plus about 30 bytes each} */
  public long ackedBytes() {
    return ackedBytes;
  }

  /** {@return records the Kafka client failed to deliver} */
  public long sendFailures() {
    return sendFailures;
  }

  /** {@return frames never handed to the client because {@code close} ran out of time while the broker was away} */
  public long unsent() {
    return unsent;
  }

  /** {@return records sent and not yet acknowledged or failed} */
  public long inFlight() {
    return sent - acked - sendFailures;
  }

  /**
   * Times a send waited the client's {@code max.block.ms} for buffer space or metadata and was
   * tried again: the broker was slow or away and the producer was holding frames back.
   *
   * @return the number of such waits
   */
  public long blockedSends() {
    return blockedSends;
  }

  /** {@return the batcher's own counters: queue depth, drops by reason, batch sizes} */
  public BatcherStats batcher() {
    return batcher;
  }

  @Override
  public String toString() {
    return "FrameProducerStats{offered " + offered() + ", acked " + acked + " (" + ackedBytes
        + " B), dropped " + dropped() + ", encode failures " + encodeFailures + ", send failures "
        + sendFailures + ", unsent " + unsent + ", in flight " + inFlight() + ", queued "
        + queued() + ", blocked sends " + blockedSends + "}";
  }
}
