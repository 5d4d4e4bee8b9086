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
   * @param maxAttempts reconnections in a row before giving up, 0..1000
   * @param initialDelay the wait before the first reconnection
   * @param maxDelay the longest wait
   * @param multiplier how much longer each wait is than the last, 1..10
   * @return the policy
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

  /** {@return a policy that never reconnects: the first failure ends the source} */
  public static ReconnectPolicy none() {
    return NONE;
  }

  /** {@return the default: 5 attempts, 0.5 s doubling up to 8 s, so about 15 s of outage is ridden out} */
  public static ReconnectPolicy defaults() {
    return DEFAULTS;
  }

  /** {@return the reconnections in a row before giving up} */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** {@return the wait before the first reconnection} */
  public Duration initialDelay() {
    return initialDelay;
  }

  /** {@return the longest wait between reconnections} */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** {@return how much longer each wait is than the last} */
  public double multiplier() {
    return multiplier;
  }

  /**
   * {@return the wait before reconnection attempt {@code attempt}}
   *
   * @param attempt which attempt, 1 for the first
   */
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
