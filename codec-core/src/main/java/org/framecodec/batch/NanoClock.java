package org.framecodec.batch;

/**
 * A monotonic clock in nanoseconds, as {@link System#nanoTime()}: only differences between
 * readings mean anything.
 *
 * <p>The {@link Batcher} reads it for submit times and deadlines. Tests inject a clock they
 * advance by hand and drive the batcher with {@link Batcher#tick()}, so deadline behaviour is
 * checked without sleeping. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface NanoClock {

  /** {@return the current reading, in nanoseconds from an arbitrary origin} */
  long nanoTime();

  /** {@return {@link System#nanoTime()}} */
  static NanoClock system() {
    return System::nanoTime;
  }
}
