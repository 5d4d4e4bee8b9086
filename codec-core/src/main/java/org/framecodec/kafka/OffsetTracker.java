package org.framecodec.kafka;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Which offsets of one partition may be committed: records are registered in offset order when
 * polled and marked done, in any order, when their result (or dead letter) is acknowledged; the
 * committable offset is one past the longest done prefix. A record that is not done holds back
 * every later offset, so a commit never covers a frame whose result is not written.
 *
 * <p>Confined to the worker's poll thread; not thread-safe.
 */
final class OffsetTracker {
  private final ArrayDeque<Long> pending = new ArrayDeque<>();
  private final Set<Long> done = new HashSet<>();
  private long committable = -1;

  /** Registers a polled record; offsets must increase. */
  void register(long offset) {
    Long last = pending.peekLast();
    if ((last != null && offset <= last) || offset < committable) {
      throw new IllegalArgumentException("offset " + offset + " registered out of order (last "
          + (last != null ? last : committable - 1) + ")");
    }
    pending.addLast(offset);
  }

  /** Marks a registered record done; unknown offsets (already committed) are ignored. */
  void markDone(long offset) {
    if (offset < committable || (pending.peekFirst() != null && offset < pending.peekFirst())) {
      return;
    }
    done.add(offset);
    while (!pending.isEmpty() && done.remove(pending.peekFirst())) {
      committable = pending.pollFirst() + 1;
    }
  }

  /** The offset to commit (the next record to read), or -1 when nothing is done yet. */
  long committable() {
    return committable;
  }

  /** Registered records not yet done. */
  int outstanding() {
    return pending.size();
  }
}
