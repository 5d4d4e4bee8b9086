package org.framecodec.detect;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.frames.Frame;

/**
 * A {@link Detector} that passes every call to another and tells a {@link DetectorListener} how
 * it went: the way to watch a detector without changing it. Owns the detector it wraps: {@link
 * #close()} closes it. Thread-safety is the wrapped detector's; the wrapper adds no state.
 */
public final class ObservedDetector implements Detector {
  private final Detector detector;
  private final DetectorListener listener;

  private ObservedDetector(Detector detector, DetectorListener listener) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Wraps {@code detector}; the result owns it.
   *
   * @param detector the detector to watch
   * @param listener told about every call
   * @return the detector to use from now on
   */
  public static Detector wrap(Detector detector, DetectorListener listener) {
    return new ObservedDetector(detector, listener);
  }

  /** {@return the wrapped detector} */
  public Detector delegate() {
    return detector;
  }

  @Override
  public DetectorInfo info() {
    return detector.info();
  }

  @Override
  public DetectionBatch detect(List<Frame> frames) {
    long start = System.nanoTime();
    DetectionBatch batch;
    try {
      batch = detector.detect(frames);
    } catch (RuntimeException e) {
      listener.failed(detector.info(), frames == null ? 0 : frames.size(), System.nanoTime() - start, e);
      throw e;
    }
    listener.detected(detector.info(), batch.size(), batch.timings());
    return batch;
  }

  @Override
  public DetectionBatch detectEncoded(List<EncodedFrame> frames) {
    long start = System.nanoTime();
    DetectionBatch batch;
    try {
      batch = detector.detectEncoded(frames);
    } catch (RuntimeException e) {
      listener.failed(detector.info(), frames == null ? 0 : frames.size(), System.nanoTime() - start, e);
      throw e;
    }
    listener.detected(detector.info(), batch.size(), batch.timings());
    return batch;
  }

  @Override
  public CompletableFuture<DetectionBatch> detectAsync(List<Frame> frames) {
    return observe(System.nanoTime(), frames.size(), detector.detectAsync(frames));
  }

  @Override
  public CompletableFuture<DetectionBatch> detectEncodedAsync(List<EncodedFrame> frames) {
    return observe(System.nanoTime(), frames.size(), detector.detectEncodedAsync(frames));
  }

  /** Tells the listener when {@code pending} completes, on the thread that completes it. */
  private CompletableFuture<DetectionBatch> observe(long start, int frames,
      CompletableFuture<DetectionBatch> pending) {
    return pending.whenComplete((batch, error) -> {
      if (error == null) {
        listener.detected(detector.info(), batch.size(), batch.timings());
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      listener.failed(detector.info(), frames, System.nanoTime() - start,
          cause instanceof RuntimeException r ? r : new CompletionException(cause));
    });
  }

  @Override
  public void close() {
    detector.close();
  }

  @Override
  public String toString() {
    return "ObservedDetector{" + detector + "}";
  }
}
