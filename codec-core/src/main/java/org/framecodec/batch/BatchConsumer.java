package org.framecodec.batch;

/**
 * Receives the batches a {@link Batcher} emits, one at a time and in order.
 *
 * <p>The batcher never calls it concurrently with itself: the next batch is handed over only
 * after this call returns. It runs on the batcher's own thread, on the caller's executor, or on
 * the thread calling {@link Batcher#tick()}, as configured. The batch and its items are the
 * consumer's to keep. An exception is caught, counted in {@link BatcherStats#consumerFailures()}
 * and passed to the batcher's error handler; the batcher goes on with the next batch.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface BatchConsumer<T> {

  /**
   * Processes one batch; may throw, see the class description.
   *
   * @param batch the batch, valid only during the call
   * @throws Exception anything; the batcher counts the batch as failed and hands the exception to
   *     its error handler
   */
  void accept(Batch<T> batch) throws Exception;
}
