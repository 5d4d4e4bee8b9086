package org.framecodec.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One call into the {@link DetectorPipeline}: its items (frames or encoded frames), the result of
 * each, the first failure, the time each stage spent on it, and the future that completes when
 * its last chunk is done.
 *
 * <p>Written by several pipeline threads at once: results go to distinct indexes, failures and
 * counters are synchronised or atomic. The future is completed once, by whichever thread
 * finishes the last chunk.
 */
final class DetectionRequest {
  final List<?> items;
  final boolean encoded;
  final long startNanos = System.nanoTime();
  final CompletableFuture<DetectionBatch> future = new CompletableFuture<>();
  final AtomicLong decodeNanos = new AtomicLong();
  final AtomicLong preprocessNanos = new AtomicLong();
  final AtomicLong inferenceNanos = new AtomicLong();
  final AtomicLong postprocessNanos = new AtomicLong();
  final java.util.concurrent.atomic.AtomicInteger gpuDecoded = new java.util.concurrent.atomic.AtomicInteger();
  private final Object[] results;
  private final AtomicInteger chunksLeft;
  private int failedIndex = Integer.MAX_VALUE;
  private Throwable failure;

  DetectionRequest(List<?> items, boolean encoded, int chunks) {
    this.items = items;
    this.encoded = encoded;
    this.results = new Object[items.size()];
    this.chunksLeft = new AtomicInteger(chunks);
  }

  int size() {
    return results.length;
  }

  void result(int index, List<Detection> detections) {
    results[index] = detections;
  }

  /** Records item {@code index}'s failure; the lowest index wins, so the error is deterministic. */
  synchronized void fail(int index, Throwable e) {
    if (index < failedIndex) {
      failedIndex = index;
      failure = e;
    }
  }

  synchronized boolean failed() {
    return failure != null;
  }

  /** Called once per chunk when it is done (or skipped); the last one completes the future. */
  void chunkDone() {
    if (chunksLeft.decrementAndGet() != 0) {
      return;
    }
    Throwable e;
    synchronized (this) {
      e = failure;
    }
    if (e != null) {
      future.completeExceptionally(e);
      return;
    }
    List<List<Detection>> all = new ArrayList<>(results.length);
    for (Object r : results) {
      @SuppressWarnings("unchecked")
      List<Detection> d = (List<Detection>) r;
      all.add(d);
    }
    future.complete(new DetectionBatch(all, new StageTimings(decodeNanos.get(),
        preprocessNanos.get(), inferenceNanos.get(), postprocessNanos.get(),
        System.nanoTime() - startNanos), gpuDecoded.get()));
  }

  @Override
  public String toString() {
    return "DetectionRequest{" + results.length + (encoded ? " payloads" : " frames") + ", "
        + Arrays.stream(results).filter(r -> r != null).count() + " done}";
  }
}
