package org.framecodec.batch;

/**
 * Told about each batch a {@link Batcher} delivers: the hook a metrics binder (such as {@code
 * org.framecodec.metrics.FrameCodecMetrics}) uses for batch sizes and wait times. Counters that
 * need no per-batch work (queue depth, drops, batches by trigger) come from {@link
 * Batcher#stats()} instead.
 *
 * <p>Attach with {@link Batcher#addObserver}; a batcher without observers does no extra work.
 * Called on the delivering thread after the consumer returns and before the batch counts as
 * delivered (so once {@link Batcher#flush()} returns, its batches have been observed). Keep it
 * short: it delays the next batch. An exception it throws is logged and ignored. It may be called
 * from several threads over its life, but for one batcher never from two at once.
 */
@FunctionalInterface
public interface BatcherObserver {

  /**
   * One batch went through the consumer.
   *
   * @param batch the batch; each item's wait is {@code startNanos - item.submitNanos()}. The
   *     items' values are the consumer's now: read only the metadata.
   * @param startNanos when the consumer call began, on the batcher's {@link NanoClock}
   * @param endNanos when it returned, on the same clock
   * @param failed true when the consumer threw
   */
  void delivered(Batch<?> batch, long startNanos, long endNanos, boolean failed);
}
