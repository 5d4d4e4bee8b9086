package org.framecodec.stream;

import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback for one input or output: FFmpeg polls it while it waits in any I/O
 * (connecting, reading, writing, probing) and gives up with {@code AVERROR_EXIT} when it returns
 * 1. It returns 1 after the current deadline or once {@link #abort()} was called, so no FFmpeg
 * call can block past a timeout, whatever the protocol does with {@code rw_timeout}, and {@code
 * stop()} ends a blocked read at once.
 *
 * <p>Thread-safe: the deadline is set by the thread doing I/O, {@link #abort()} may come from any
 * thread. Keep a reference while FFmpeg holds the callback; {@link #close()} frees the native
 * thunk afterwards.
 */
final class Interrupter extends AVIOInterruptCB.Callback_Pointer {
  private volatile long deadlineNanos = Long.MAX_VALUE;
  private volatile boolean aborted;
  private volatile boolean fired;

  Interrupter() {
    super();
  }

  /** Lets the next I/O run for at most {@code timeoutNanos}. */
  void arm(long timeoutNanos) {
    fired = false;
    long now = System.nanoTime();
    deadlineNanos = timeoutNanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutNanos;
  }

  void disarm() {
    deadlineNanos = Long.MAX_VALUE;
  }

  void abort() {
    aborted = true;
  }

  boolean aborted() {
    return aborted;
  }

  /** True when the last interruption came from the deadline (not from {@link #abort()}). */
  boolean timedOut() {
    return fired && !aborted;
  }

  @Override
  public int call(Pointer opaque) {
    if (aborted) {
      return 1;
    }
    if (System.nanoTime() - deadlineNanos > 0 && deadlineNanos != Long.MAX_VALUE) {
      fired = true;
      return 1;
    }
    return 0;
  }

  /** An {@code AVIOInterruptCB} struct pointing at this callback, to copy into a context. */
  AVIOInterruptCB struct() {
    AVIOInterruptCB cb = new AVIOInterruptCB();
    cb.callback(this);
    cb.opaque(null);
    return cb;
  }
}
