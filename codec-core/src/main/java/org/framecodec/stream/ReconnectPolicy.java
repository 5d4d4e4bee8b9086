package org.framecodec.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How a network source reconnects after it fails to open, stalls past its read timeout, errors or
 * ends: up to {@link #maxAttempts()} new connections in a row, waiting {@link #initialDelay()}
 * before the first and multiplying the wait by {@link #multiplier()} after each failure, up to
 * {@link #maxDelay()}. A connection that delivers a frame resets the count. When the attempts are
 * used up the source ends with {@link SourceUnavailableException}.
 *
 * <p>Files never reconnect: a file that fails would fail the same way again. Inputs that cannot
 * be processed at all ({@link UnsupportedStreamException}) are never retried either.
 *
 * <p>Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class ReconnectPolicy {
  private static final ReconnectPolicy NONE = new ReconnectPolicy(0, Duration.ZERO, Duration.ZERO, 1);
  private static final ReconnectPolicy DEFAULTS =
      new ReconnectPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), 2);

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final double multiplier;

  private ReconnectPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {
    this.maxAttempts = maxAttempts;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    this.multiplier = multiplier;
  }

  /**
   * A policy of {@code maxAttempts} reconnections, waiting {@code initialDelay}, then {@code
   * multiplier} times longer each time, capped at {@code maxDelay}.
   *
   * @throws IllegalArgumentException when {@code maxAttempts} is negative or over 1000, a delay is
   *     negative, {@code maxDelay < initialDelay}, or {@code multiplier} is not in [1, 10]
   */
  public static ReconnectPolicy of(int maxAttempts, Duration initialDelay, Duration maxDelay,
      double multiplier) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 0 || maxAttempts > 1000) {
      throw new IllegalArgumentException("maxAttempts must be 0..1000, got " + maxAttempts);
    }
    if (initialDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative, got " + initialDelay + " and " + maxDelay);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay " + maxDelay + " is less than initialDelay " + initialDelay);
    }
    if (!(multiplier >= 1 && multiplier <= 10)) {
      throw new IllegalArgumentException("multiplier must be in [1, 10], got " + multiplier);
    }
    return new ReconnectPolicy(maxAttempts, initialDelay, maxDelay, multiplier);
  }

  /** Never reconnect: the first failure ends the source. */
  public static ReconnectPolicy none() {
    return NONE;
  }

  /** 5 attempts, 0.5 s doubling up to 8 s: about 15 s of outage is ridden out. */
  public static ReconnectPolicy defaults() {
    return DEFAULTS;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public double multiplier() {
    return multiplier;
  }

  /** The wait before reconnection attempt {@code attempt} (1 for the first). */
  public Duration delayBefore(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1, got " + attempt);
    }
    double nanos = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
    long capped = (long) Math.min(nanos, (double) maxDelay.toNanos());
    return Duration.ofNanos(capped);
  }

  @Override
  public String toString() {
    return maxAttempts == 0 ? "ReconnectPolicy{none}"
        : "ReconnectPolicy{" + maxAttempts + " attempts, " + initialDelay.toMillis() + " ms x"
            + multiplier + " up to " + maxDelay.toMillis() + " ms}";
  }
}
