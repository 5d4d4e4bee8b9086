package org.framecodec.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A process-wide allowance of some unit (bytes of bodies, decoded pixels) that requests reserve
 * before they hold it and give back after. Lock-free and thread-safe; a reservation that would
 * pass the capacity fails at once instead of waiting.
 */
final class MemoryBudget {
  private final String name;
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  MemoryBudget(String name, long capacity) {
    this.name = name;
    this.capacity = capacity;
  }

  /** Reserves {@code amount}; false, with nothing reserved, when that would pass the capacity. */
  boolean tryReserve(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("negative reservation " + amount);
    }
    while (true) {
      long now = used.get();
      if (amount > capacity - now) {
        return false;
      }
      if (used.compareAndSet(now, now + amount)) {
        return true;
      }
    }
  }

  void release(long amount) {
    long after = used.addAndGet(-amount);
    if (after < 0) {
      throw new IllegalStateException(name + " budget released more than was reserved: " + after);
    }
  }

  long used() {
    return used.get();
  }

  long capacity() {
    return capacity;
  }

  String name() {
    return name;
  }
}
