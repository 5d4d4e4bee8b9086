package org.framecodec.batch;

/**
 * Told about every item the {@link Batcher} does not deliver because of backpressure.
 *
 * <p>Called on the producer's thread, from inside {@link Batcher#submit}, after the batcher's lock
 * is released; keep it short (count, log, release the frame's buffer). It may be called from
 * several producer threads at once. An exception it throws is logged and does not affect the
 * batcher or the {@code submit} call.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface DropListener<T> {

  /**
   * One item was dropped or rejected. Items never queued ({@link DropReason#REJECTED},
   * {@link DropReason#INTERRUPTED}) have {@link BatchItem#sequence()} {@code -1}.
   *
   * @param item the item
   * @param reason why it was lost
   */
  void onDrop(BatchItem<T> item, DropReason reason);
}
