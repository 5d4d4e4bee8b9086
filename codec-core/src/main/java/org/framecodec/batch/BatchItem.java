package org.framecodec.batch;

import java.util.Objects;

/**
 * One submitted item with the tags that join a model's result back to its frame: the stream it
 * came from and its presentation timestamp, plus the batcher's sequence number and submit time.
 *
 * <p>Immutable and thread-safe as far as the wrapper goes; the value is the caller's object and
 * is never copied or touched by the batcher.
 *
 * @param <T> the item type: a {@link org.framecodec.frames.Frame}, an encoded payload, anything
 */
public final class BatchItem<T> {
  private final String streamId;
  private final long pts;
  private final long sequence;
  private final long submitNanos;
  private final T value;

  /**
   * Tags a value. {@link Batcher} creates these; the constructor is public so that code which
   * batches by other means, and tests, can build the same type.
   *
   * @param streamId the source stream, not null
   * @param pts presentation timestamp in the caller's time base (the batcher never interprets it)
   * @param sequence the batcher's submit order, unique and increasing; {@code -1} for an item
   *     that was never queued
   * @param submitNanos the batcher's {@link NanoClock} reading at submit
   * @param value the item, not null
   */
  public BatchItem(String streamId, long pts, long sequence, long submitNanos, T value) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.value = Objects.requireNonNull(value, "value");
    this.pts = pts;
    this.sequence = sequence;
    this.submitNanos = submitNanos;
  }

  /** {@return the stream this item came from} */
  public String streamId() {
    return streamId;
  }

  /** {@return the presentation timestamp, in the caller's time base, as submitted} */
  public long pts() {
    return pts;
  }

  /**
   * {@return the submit order across all streams, from 0; {@code -1} if the item was never queued}
   */
  public long sequence() {
    return sequence;
  }

  /** {@return the {@link NanoClock} reading when the item was submitted} */
  public long submitNanos() {
    return submitNanos;
  }

  /** {@return the item itself} */
  public T value() {
    return value;
  }

  @Override
  public String toString() {
    return "BatchItem{stream " + streamId + ", pts " + pts + ", #" + sequence + "}";
  }
}
