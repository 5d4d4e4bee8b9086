package org.framecodec.batch;

/**
 * What {@link Batcher#submit} does when the queue of waiting items is full.
 *
 * <p>Every item that does not reach the consumer because of the policy is counted in
 * {@link BatcherStats} and passed to the {@link DropListener}; none is lost silently.
 */
public enum OverflowPolicy {
  /**
   * The producer waits until there is room. Nothing is dropped, but a slow consumer slows the
   * producer down: right for files and recorded video, wrong for a live source that cannot wait.
   */
  BLOCK,
  /** The new item is refused: {@code submit} returns {@code false} and reports it as {@link DropReason#REJECTED}. */
  REJECT,
  /**
   * The oldest waiting item is dropped to make room, reported as {@link DropReason#DROPPED_OLDEST}.
   * Right for a live stream that must not fall behind: under overload the consumer sees the
   * newest frames, with gaps, instead of ever older ones.
   */
  DROP_OLDEST
}
