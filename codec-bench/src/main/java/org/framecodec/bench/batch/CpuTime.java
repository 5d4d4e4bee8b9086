package org.framecodec.bench.batch;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Process CPU time and wall time spent inside the benchmark calls, per iteration, as JMH
 * secondary results ({@code cpuMicros}, {@code wallMicros}, totals per iteration).
 *
 * <p>Why: on a machine shared with other work, a thread-scaling score alone cannot tell "the
 * code does not scale" from "the second core was busy". {@code cpuMicros / wallMicros} is the
 * number of cores the process actually got during the calls, and {@code cpuMicros / frames} is
 * the CPU cost per frame, which neighbours barely change. The process total includes JIT and GC
 * threads, small in steady state. One {@code getProcessCpuTime} call (a system call, about a
 * microsecond) before and after each batch of milliseconds.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public long cpuMicros;
  public long wallMicros;
  private long cpuStart;
  private long wallStart;

  @Setup(Level.Iteration)
  public void clear() {
    cpuMicros = 0;
    wallMicros = 0;
  }

  void start() {
    cpuStart = OS.getProcessCpuTime();
    wallStart = System.nanoTime();
  }

  void stop() {
    wallMicros += (System.nanoTime() - wallStart) / 1000;
    cpuMicros += (OS.getProcessCpuTime() - cpuStart) / 1000;
  }
}
