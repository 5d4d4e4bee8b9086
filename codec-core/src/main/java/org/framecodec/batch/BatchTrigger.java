package org.framecodec.batch;

/** Why a {@link Batcher} emitted a batch. */
public enum BatchTrigger {
  /** The queue held {@code maxBatchSize} items. */
  SIZE,
  /** The oldest waiting item had waited {@code maxDelay}. */
  DEADLINE,
  /** {@link Batcher#flush()} asked for the waiting items. */
  FLUSH,
  /** {@link Batcher#close()} delivered what was left. */
  CLOSE
}
