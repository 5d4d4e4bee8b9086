package org.framecodec.bench.support;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on stderr, so stdout keeps only the result. On a terminal each step
 * rewrites one live line ({@code \r}); otherwise (a log, a pipe, CI) each step is a line of its
 * own, which a log keeps and a reader can grep. Lines start with the command's name.
 *
 * <p>Not thread-safe: report from the thread that runs the command. The stream is the caller's
 * and is not closed.
 */
public final class Progress {
  /** A live line longer than a usual terminal would wrap, and {@code \r} would no longer redraw it. */
  private static final int LIVE_WIDTH = 119;

  private final PrintWriter err;
  private final String name;
  private final boolean live;
  private final long startNanos = System.nanoTime();
  private int shown;

  private Progress(PrintWriter err, String name, boolean live) {
    this.err = err;
    this.name = name;
    this.live = live;
  }

  /** One line per step: for logs and pipes. */
  public static Progress lines(PrintWriter err, String name) {
    return new Progress(err, name, false);
  }

  /** One live line, rewritten at each step: for a terminal. */
  public static Progress live(PrintWriter err, String name) {
    return new Progress(err, name, true);
  }

  /** {@link #live} when {@code terminal}, else {@link #lines}. */
  public static Progress of(PrintWriter err, String name, boolean terminal) {
    return new Progress(err, name, terminal);
  }

  /** Reports a step. */
  public void step(String message) {
    String line = name + ": " + message;
    if (!live) {
      err.println(line);
      return;
    }
    if (line.length() > LIVE_WIDTH) {
      line = line.substring(0, LIVE_WIDTH - 3) + "...";
    }
    // Pad with spaces so a shorter line fully covers the previous one.
    err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
    err.flush();
    shown = line.length();
  }

  /** Reports step {@code done} of {@code total} with the seconds since this progress began. */
  public void step(int done, int total, String what) {
    step(String.format(Locale.ROOT, "%d/%d %s (%.0f s)", done, total, what, seconds()));
  }

  /** A line that stays, also on a terminal (ends the live line first). */
  public void note(String message) {
    done();
    err.println(name + ": " + message);
  }

  /**
   * Erases the live line, so that output the command writes to the same terminal mid-run (its
   * result rows on stdout) starts at the left edge; the next step draws the line again. Nothing
   * to do off a terminal.
   */
  public void clear() {
    if (live && shown > 0) {
      err.print("\r" + " ".repeat(shown) + "\r");
      err.flush();
      shown = 0;
    }
  }

  /** Ends the live line, so what follows starts on a line of its own. Idempotent. */
  public void done() {
    if (live && shown > 0) {
      err.println();
      shown = 0;
    }
  }

  /** Seconds since this progress was made. */
  public double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
