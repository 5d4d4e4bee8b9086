package org.framecodec.transport;

import java.util.ArrayDeque;

/**
 * Reusable arrays for request bodies, so a steady stream of similar requests allocates nothing
 * per request. Bounded twice: at most {@code maxPooledBytes} are kept idle, and an array larger
 * than {@code maxPooledArray} is never kept, so one unusually large request is freed after it
 * instead of staying resident (the pool shrinks back to its usual size). Arrays are handed out
 * by size class (powers of two from 64 KiB), so a kept array fits any body of its class.
 *
 * <p>Thread-safe (one lock; the critical sections are a deque operation).
 */
final class BodyBufferPool {
  private static final int MIN_CLASS_SHIFT = 16;
  private final long maxPooledBytes;
  private final int maxPooledArray;
  private final ArrayDeque<byte[]>[] free;
  private long pooledBytes;

  @SuppressWarnings("unchecked")
  BodyBufferPool(long maxPooledBytes, int maxPooledArray) {
    this.maxPooledBytes = maxPooledBytes;
    this.maxPooledArray = maxPooledArray;
    this.free = new ArrayDeque[32];
    for (int i = 0; i < free.length; i++) {
      free[i] = new ArrayDeque<>();
    }
  }

  /** An array of at least {@code size} bytes, reused when one of its class is idle. */
  byte[] acquire(int size) {
    int shift = classShift(size);
    if (shift < free.length) {
      synchronized (this) {
        byte[] a = free[shift].pollFirst();
        if (a != null) {
          pooledBytes -= a.length;
          return a;
        }
      }
    }
    long classSize = 1L << shift;
    // An array larger than the pool keeps is allocated to the byte: it will not be reused.
    return new byte[classSize <= maxPooledArray && classSize <= Integer.MAX_VALUE - 8 ? (int) classSize : size];
  }

  /** Gives an array back; kept only while the pool is under its bounds. */
  void release(byte[] a) {
    if (a == null || a.length > maxPooledArray || Integer.bitCount(a.length) != 1
        || a.length < (1 << MIN_CLASS_SHIFT)) {
      return;
    }
    int shift = Integer.numberOfTrailingZeros(a.length);
    synchronized (this) {
      if (pooledBytes + a.length <= maxPooledBytes) {
        free[shift].addFirst(a);
        pooledBytes += a.length;
      }
    }
  }

  synchronized long pooledBytes() {
    return pooledBytes;
  }

  private static int classShift(int size) {
    if (size <= 1 << MIN_CLASS_SHIFT) {
      return MIN_CLASS_SHIFT;
    }
    return 32 - Integer.numberOfLeadingZeros(size - 1);
  }
}
