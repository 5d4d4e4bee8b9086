package org.framecodec.codec;

import java.util.Arrays;
import java.util.Optional;

/**
 * Per-item outcomes of a {@link ParallelBatchCodec} call, in input order: item {@code i} is either
 * a value or the exception its input raised. One bad frame or payload fails alone; the others
 * keep their results.
 *
 * <p>Immutable once returned and thread-safe to read. The values are owned by the caller (new
 * arrays or frames, or the caller's own destination frames).
 *
 * @param <R> the result type: {@code byte[]} payloads or {@link org.framecodec.frames.Frame}s
 */
public final class BatchResult<R> {
  private final Object[] values;
  private final Throwable[] errors;
  private final long elapsedNanos;

  BatchResult(Object[] values, Throwable[] errors, long elapsedNanos) {
    this.values = values;
    this.errors = errors;
    this.elapsedNanos = elapsedNanos;
  }

  /** {@return the number of items, equal to the input's} */
  public int size() {
    return values.length;
  }

  /**
   * {@return true when item {@code index} succeeded}
   *
   * @param index position of the item, from 0
   */
  public boolean isOk(int index) {
    return errors[check(index)] == null;
  }

  /**
   * {@return the result of item {@code index}}
   *
   * @param index position of the item, from 0
   * @throws IllegalStateException if that item failed, with its exception as the cause
   */
  @SuppressWarnings("unchecked")
  public R get(int index) {
    Throwable e = errors[check(index)];
    if (e != null) {
      throw new IllegalStateException("item " + index + " of " + values.length + " failed: " + e, e);
    }
    return (R) values[index];
  }

  /**
   * {@return the exception of item {@code index}, empty when it succeeded}
   *
   * @param index position of the item, from 0
   */
  public Optional<Throwable> error(int index) {
    return Optional.ofNullable(errors[check(index)]);
  }

  /** {@return the number of failed items} */
  public int failureCount() {
    int n = 0;
    for (Throwable e : errors) {
      n += e == null ? 0 : 1;
    }
    return n;
  }

  /** {@return the indexes of the failed items, ascending} */
  public int[] failedIndexes() {
    return java.util.stream.IntStream.range(0, errors.length).filter(i -> errors[i] != null).toArray();
  }

  /** {@return the wall time of the whole call, in nanoseconds} */
  public long elapsedNanos() {
    return elapsedNanos;
  }

  private int check(int index) {
    if (index < 0 || index >= values.length) {
      throw new IndexOutOfBoundsException("item " + index + " of a batch of " + values.length);
    }
    return index;
  }

  @Override
  public String toString() {
    return "BatchResult{" + values.length + " items, " + failureCount() + " failed "
        + Arrays.toString(failedIndexes()) + ", " + elapsedNanos / 1000 + " us}";
  }
}
