package org.framecodec.batch;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A group of {@link BatchItem}s emitted together by a {@link Batcher}, in submit order.
 *
 * <p>Items of one stream appear in the order they were submitted, and a later batch never holds
 * an item submitted before one in an earlier batch. Each item keeps its stream id and timestamp,
 * so the model's i-th output joins back to {@code item(i)}.
 *
 * <p>Immutable and thread-safe; the item values are the caller's objects. {@link #targetSize()}
 * is the preferred size (e.g. 16, 32 or 64) to pad to when the batch is a deadline remainder
 * smaller than every preferred size.
 *
 * @param <T> the item type
 */
public final class Batch<T> {
  private final long sequence;
  private final BatchTrigger trigger;
  private final long createdNanos;
  private final int targetSize;
  private final List<BatchItem<T>> items;

  Batch(long sequence, BatchTrigger trigger, long createdNanos, int targetSize,
      List<BatchItem<T>> items) {
    this.sequence = sequence;
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    this.createdNanos = createdNanos;
    this.targetSize = targetSize;
    this.items = List.copyOf(items);
    if (this.items.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one item");
    }
    if (targetSize < this.items.size()) {
      throw new IllegalArgumentException(
          "target size " + targetSize + " is less than the batch size " + this.items.size());
    }
  }

  /** {@return the emission order of this batch in its batcher, from 0} */
  public long sequence() {
    return sequence;
  }

  /** {@return why the batch was emitted} */
  public BatchTrigger trigger() {
    return trigger;
  }

  /** {@return the {@link NanoClock} reading when the batch was formed} */
  public long createdNanos() {
    return createdNanos;
  }

  /** {@return the number of items, at least 1} */
  public int size() {
    return items.size();
  }

  /**
   * {@return the smallest preferred batch size that holds this batch: a model with fixed batch
   * shapes pads
   * {@code targetSize() - size()} slots} Equals {@link #size()} when the batcher has no preferred
   * sizes or the batch is one of them.
   */
  public int targetSize() {
    return targetSize;
  }

  /** {@return the items in submit order; unmodifiable} */
  public List<BatchItem<T>> items() {
    return items;
  }

  /**
   * {@return the item {@code index}}
   *
   * @param index position of the item, from 0
   */
  public BatchItem<T> item(int index) {
    return items.get(index);
  }

  /** {@return the item values in submit order: an unmodifiable view, e.g. the frames to encode} */
  public List<T> values() {
    return new Values<>(items);
  }

  @Override
  public String toString() {
    return "Batch{#" + sequence + ", " + items.size() + " items, " + trigger
        + (targetSize != items.size() ? ", target " + targetSize : "") + "}";
  }

  private static final class Values<T> extends AbstractList<T> implements RandomAccess {
    private final List<BatchItem<T>> items;

    Values(List<BatchItem<T>> items) {
      this.items = items;
    }

    @Override
    public T get(int index) {
      return items.get(index).value();
    }

    @Override
    public int size() {
      return items.size();
    }
  }
}
