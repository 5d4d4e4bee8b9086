package org.framecodec.batch;

/** Why an item never reached the consumer; see {@link DropListener}. */
public enum DropReason {
  /** The queue was full and the policy is {@link OverflowPolicy#REJECT}; the item was never queued. */
  REJECTED,
  /** The item was queued, then pushed out by a newer one under {@link OverflowPolicy#DROP_OLDEST}. */
  DROPPED_OLDEST,
  /** The producer was interrupted while waiting for room under {@link OverflowPolicy#BLOCK}; the item was never queued. */
  INTERRUPTED
}
