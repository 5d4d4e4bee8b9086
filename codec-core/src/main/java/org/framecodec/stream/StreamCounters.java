package org.framecodec.stream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.framecodec.batch.LatencyHistogram;

/** One stream's live counters, written by its threads and the batch consumer; thread-safe. */
final class StreamCounters {
  final AtomicLong framesIn = new AtomicLong();
  final AtomicLong framesOut = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong notAnalysed = new AtomicLong();
  final AtomicLong decodeErrors = new AtomicLong();
  final AtomicInteger reconnects = new AtomicInteger();
  final AtomicLong audioIn = new AtomicLong();
  final AtomicLong audioOut = new AtomicLong();
  final AtomicLong audioDropped = new AtomicLong();
  final LatencyHistogram glassToGlass = new LatencyHistogram();
  private final AtomicLong firstInNanos = new AtomicLong(Long.MIN_VALUE);
  private volatile long lastInNanos;
  private final AtomicLong firstOutNanos = new AtomicLong(Long.MIN_VALUE);
  private volatile long lastOutNanos;
  volatile boolean finished;

  void frameIn(long now) {
    framesIn.incrementAndGet();
    firstInNanos.compareAndSet(Long.MIN_VALUE, now);
    lastInNanos = now;
  }

  void frameOut(long now, long glassNanos) {
    framesOut.incrementAndGet();
    firstOutNanos.compareAndSet(Long.MIN_VALUE, now);
    lastOutNanos = now;
    glassToGlass.record(now - glassNanos);
  }

  StreamStats snapshot(String id, int inFlight, long now) {
    long in = framesIn.get();
    long out = framesOut.get();
    return new StreamStats(id, in, out, dropped.get(), notAnalysed.get(), decodeErrors.get(),
        reconnects.get(), audioIn.get(), audioOut.get(), audioDropped.get(),
        rate(in, firstInNanos.get(), finished ? lastInNanos : now),
        rate(out, firstOutNanos.get(), finished ? lastOutNanos : now),
        glassToGlass.percentile(50) / 1e6, glassToGlass.percentile(99) / 1e6,
        glassToGlass.max() / 1e6, inFlight, finished);
  }

  /** Frames per second over [first, end], counting intervals (n frames span n - 1 gaps). */
  private static double rate(long n, long first, long end) {
    if (n < 2 || first == Long.MIN_VALUE || end <= first) {
      return 0;
    }
    return (n - 1) * 1e9 / (end - first);
  }
}
