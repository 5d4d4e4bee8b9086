package org.framecodec.detect;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The unclaimed items {@code [front, back)} of one chunk, claimed from both ends: the GPU lane's
 * decoders take blocks from the front, the CPU workers take single items from the back, until the
 * two meet. Neither side waits for a share to be decided, and neither is left idle while the other
 * still has a chunk's worth of work: whoever is free takes the next item.
 *
 * <p>A fixed split is also expressible: the GPU never claims at or above {@code gpuEnd}, the CPU
 * never below {@code cpuStart}.
 *
 * <p>Thread-safe and lock-free: both ends live in one {@link AtomicLong}, so a claim from either
 * side sees the other's.
 */
final class ClaimRange {
  private final AtomicLong ends;
  private final int gpuEnd;
  private final int cpuStart;

  /**
   * A chunk of {@code size} items, the GPU claiming only below {@code gpuEnd} and the CPU only at
   * or above {@code cpuStart}.
   */
  ClaimRange(int size, int gpuEnd, int cpuStart) {
    if (size < 0 || gpuEnd < 0 || gpuEnd > size || cpuStart < 0 || cpuStart > size) {
      throw new IllegalArgumentException("bad claim range: size " + size + ", GPU below " + gpuEnd
          + ", CPU from " + cpuStart);
    }
    this.ends = new AtomicLong(pack(0, size));
    this.gpuEnd = gpuEnd;
    this.cpuStart = cpuStart;
  }

  /** {@return the index of the item claimed from the back, or -1 when none is left to the CPU} */
  int claimBack() {
    while (true) {
      long v = ends.get();
      int front = front(v);
      int back = back(v);
      if (back - 1 < Math.max(front, cpuStart)) {
        return -1;
      }
      if (ends.compareAndSet(v, pack(front, back - 1))) {
        return back - 1;
      }
    }
  }

  /**
   * Claims at most {@code max} and at least {@code min} (at least 1) consecutive items from the
   * front.
   *
   * @return the first claimed index in the high 32 bits and the count in the low 32 bits
   *     ({@link #first}, {@link #count}), or -1 when fewer than {@code min} are left to the GPU
   */
  long claimFront(int max, int min) {
    int least = Math.max(1, min);
    while (true) {
      long v = ends.get();
      int front = front(v);
      int available = Math.min(back(v), gpuEnd) - front;
      if (available < least) {
        return -1;
      }
      int k = Math.min(max, available);
      if (ends.compareAndSet(v, pack(front + k, back(v)))) {
        return pack(front, k);
      }
    }
  }

  /** {@return how many items the GPU could still claim} */
  int availableToGpu() {
    long v = ends.get();
    return Math.max(0, Math.min(back(v), gpuEnd) - front(v));
  }

  /** The first index of a {@link #claimFront} result. */
  static int first(long claim) {
    return (int) (claim >>> 32);
  }

  /** The count of a {@link #claimFront} result. */
  static int count(long claim) {
    return (int) claim;
  }

  private static long pack(int high, int low) {
    return ((long) high << 32) | (low & 0xFFFFFFFFL);
  }

  private static int front(long v) {
    return (int) (v >>> 32);
  }

  private static int back(long v) {
    return (int) v;
  }
}
