package org.framecodec.codec;

import java.util.Arrays;
import java.util.Optional;

/**
 * Reusable output of {@link ParallelBatchCodec#encode(java.util.List, EncodeOptions,
 * EncodedBatch)}: one growable buffer per slot, so that a stream of batches is encoded with no
 * payload allocation once the buffers have grown to the worst-case size of the frames
 * ({@code maxEncodedSize}, about 6.2 MB for a 1080p frame).
 *
 * <p>{@link #frame(int)} is slot {@code i}'s {@link EncodedFrame}, a view of the slot's buffer.
 * <b>Valid until the next encode into this object</b>, which overwrites the buffers: copy
 * ({@link EncodedFrame#payloadCopy()}) what must outlive it. Not thread-safe; use one per thread
 * or per batch in flight.
 */
public final class EncodedBatch {
  private static final byte[] EMPTY = new byte[0];

  private byte[][] buffers = new byte[0][];
  private EncodedFrame[] frames = new EncodedFrame[0];
  private Throwable[] errors = new Throwable[0];
  private int size;
  private long elapsedNanos;

  /** An empty batch; its buffers grow on first use. */
  public EncodedBatch() {}

  /** Prepares {@code n} slots for a new encode: clears lengths and errors, keeps the buffers. */
  void reset(int n) {
    if (buffers.length < n) {
      int old = buffers.length;
      buffers = Arrays.copyOf(buffers, n);
      Arrays.fill(buffers, old, n, EMPTY);
      frames = Arrays.copyOf(frames, n);
      errors = Arrays.copyOf(errors, n);
    }
    Arrays.fill(frames, null);
    Arrays.fill(errors, null);
    size = n;
  }

  /** Slot {@code i}'s buffer with at least {@code capacity} bytes. Called by one worker per slot. */
  byte[] buffer(int i, int capacity) {
    if (buffers[i].length < capacity) {
      buffers[i] = new byte[capacity];
    }
    return buffers[i];
  }

  void set(int i, EncodedFrame frame) {
    frames[i] = frame;
  }

  void fail(int i, Throwable e) {
    errors[i] = e;
  }

  void elapsed(long nanos) {
    elapsedNanos = nanos;
  }

  /** {@return the number of payloads in the last encode} */
  public int size() {
    return size;
  }

  /**
   * {@return true when payload {@code index} was encoded}
   *
   * @param index position of the item, from 0
   */
  public boolean isOk(int index) {
    return errors[check(index)] == null;
  }

  /**
   * {@return the exception that failed item {@code index}, empty when it succeeded}
   *
   * @param index position of the item, from 0
   */
  public Optional<Throwable> error(int index) {
    return Optional.ofNullable(errors[check(index)]);
  }

  /** {@return the number of failed items in the last encode} */
  public int failureCount() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      n += errors[i] == null ? 0 : 1;
    }
    return n;
  }

  /**
   * {@return the frame {@code index}: its payload is a view of this batch's buffer for that slot,
   * valid until
   * the next encode into this batch}
   *
   * @param index position of the item, from 0
   * @throws IllegalStateException if that item failed, with its exception as the cause
   */
  public EncodedFrame frame(int index) {
    return frames[checkOk(index)];
  }

  /** {@return the sum of the payload lengths of the items that succeeded} */
  public long totalBytes() {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += errors[i] == null ? frames[i].payloadLength() : 0;
    }
    return total;
  }

  /** {@return the bytes held in the reusable buffers, the memory cost of reuse} */
  public long retainedBytes() {
    long total = 0;
    for (byte[] b : buffers) {
      total += b.length;
    }
    return total;
  }

  /** {@return the wall time of the last encode, in nanoseconds} */
  public long elapsedNanos() {
    return elapsedNanos;
  }

  private int check(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("item " + index + " of an encoded batch of " + size);
    }
    return index;
  }

  private int checkOk(int index) {
    Throwable e = errors[check(index)];
    if (e != null) {
      throw new IllegalStateException("item " + index + " of " + size + " failed: " + e, e);
    }
    return index;
  }

  @Override
  public String toString() {
    return "EncodedBatch{" + size + " payloads, " + totalBytes() + " bytes, " + failureCount()
        + " failed, " + retainedBytes() + " bytes retained}";
  }
}
