package org.framecodec.bench.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's CPU time (user + system, all threads, native ones included) and the machine's
 * load average, from Linux's /proc; no java.management needed, so it works in the GPU machine's
 * minimal runtime too. Elsewhere both read as unknown.
 */
final class ProcessCpu {
  /** Clock ticks per second of /proc's times; 100 on Linux x86-64 (USER_HZ). */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** CPU time used so far in nanoseconds, or 0 when /proc is not there. */
  static long nanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The 1-minute load average, or "?" when unknown. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
