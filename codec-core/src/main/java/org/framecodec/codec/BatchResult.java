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

  /** Number of items, equal to the input's. */
  public int size() {
    return values.length;
  }

  /** True when item {@code index} succeeded. */
  public boolean isOk(int index) {
    return errors[check(index)] == null;
  }

  /**
   * The result of item {@code index}.
   *
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

  /** The exception of item {@code index}, empty when it succeeded. */
  public Optional<Throwable> error(int index) {
    return Optional.ofNullable(errors[check(index)]);
  }

  /** Number of failed items. */
  public int failureCount() {
    int n = 0;
    for (Throwable e : errors) {
      n += e == null ? 0 : 1;
    }
    return n;
  }

  /** Indexes of the failed items, ascending. */
  public int[] failedIndexes() {
    return java.util.stream.IntStream.range(0, errors.length).filter(i -> errors[i] != null).toArray();
  }

  /** Wall time of the whole call, in nanoseconds. */
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
