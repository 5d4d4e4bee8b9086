package org.framecodec.batch;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reusable output of {@link ParallelBatchCodec#encode(java.util.List,
 * org.framecodec.codec.EncodeOptions, EncodedBatch)}: one growable buffer per slot, so that a
 * stream of batches is encoded with no allocation once the buffers have grown to the
 * worst-case size of the frames ({@code maxEncodedSize}, about 6.2 MB for a 1080p frame).
 *
 * <p>Payload {@code i} is {@code array(i)[0, length(i))}. <b>Valid until the next encode into this
 * object</b>, which overwrites the buffers: copy ({@link #toByteArray(int)}) what must outlive it.
 * Not thread-safe; use one per thread or per batch in flight.
 */
public final class EncodedBatch {
  private static final byte[] EMPTY = new byte[0];

  private byte[][] buffers = new byte[0][];
  private int[] lengths = new int[0];
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
      lengths = Arrays.copyOf(lengths, n);
      errors = Arrays.copyOf(errors, n);
    }
    Arrays.fill(lengths, 0);
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

  void set(int i, int length) {
    lengths[i] = length;
  }

  void fail(int i, Throwable e) {
    errors[i] = e;
  }

  void elapsed(long nanos) {
    elapsedNanos = nanos;
  }

  /** Number of payloads in the last encode. */
  public int size() {
    return size;
  }

  /** True when payload {@code index} was encoded. */
  public boolean isOk(int index) {
    return errors[check(index)] == null;
  }

  /** The exception that failed item {@code index}, empty when it succeeded. */
  public Optional<Throwable> error(int index) {
    return Optional.ofNullable(errors[check(index)]);
  }

  /** Number of failed items in the last encode. */
  public int failureCount() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      n += errors[i] == null ? 0 : 1;
    }
    return n;
  }

  /**
   * The buffer holding payload {@code index} from offset 0 (not a copy, longer than the payload).
   *
   * @throws IllegalStateException if that item failed, with its exception as the cause
   */
  public byte[] array(int index) {
    return buffers[checkOk(index)];
  }

  /** Length of payload {@code index}. */
  public int length(int index) {
    return lengths[checkOk(index)];
  }

  /** Payload {@code index} as a buffer over {@link #array(int)}, position 0, limit the length. */
  public ByteBuffer payload(int index) {
    return ByteBuffer.wrap(buffers[checkOk(index)], 0, lengths[index]);
  }

  /** A copy of payload {@code index}, exactly its length. */
  public byte[] toByteArray(int index) {
    return Arrays.copyOf(buffers[checkOk(index)], lengths[index]);
  }

  /** Sum of the payload lengths of the items that succeeded. */
  public long totalBytes() {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += errors[i] == null ? lengths[i] : 0;
    }
    return total;
  }

  /** Bytes held in the reusable buffers, the memory cost of reuse. */
  public long retainedBytes() {
    long total = 0;
    for (byte[] b : buffers) {
      total += b.length;
    }
    return total;
  }

  /** Wall time of the last encode, in nanoseconds. */
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
