package org.framecodec.bench.batch;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.BatcherStats;
import org.framecodec.batch.OverflowPolicy;

/**
 * Question: how long does a frame wait between {@code submit} and the start of delivery when
 * live streams feed a {@link Batcher} at a steady frame rate (50 fps each), for 1, 4 and 8
 * streams?
 *
 * <p>Not a JMH benchmark: it measures a latency distribution at a fixed arrival rate, which a
 * throughput harness cannot set. Each stream is a periodic task on a scheduler, started at a
 * seeded random phase within the frame period (real cameras are not in step). Items are tokens:
 * the batcher never touches item values, so their size does not matter. The consumer optionally
 * spins for a fixed time per batch to stand in for inference. Wait times come from the batcher's
 * own statistics ({@link BatcherStats#waitP50Nanos()}, {@link BatcherStats#waitP99Nanos()});
 * each configuration gets a fresh batcher after one warm-up run.
 *
 * <p>Options (all optional): {@code --streams 1,4,8 --fps 50 --seconds 10 --max-batch 16
 * --preferred 16,32,64 --max-delay-ms 10 --consumer-ms 0 --queue 256 --policy drop-oldest
 * --seed 1}. {@code --preferred} replaces {@code --max-batch} (its largest size is the maximum).
 *
 * <p>Run it with {@link #run(String[])}, which returns the exit code (0 ok, 2 bad arguments), or
 * with {@link #main(String[])}.
 */
public final class BatcherLatencyProgram {
  private final PrintStream out;
  private List<Integer> streams = List.of(1, 4, 8);
  private double fps = 50;
  private double seconds = 10;
  private int maxBatch = 16;
  private int[] preferred = new int[0];
  private double maxDelayMs = 10;
  private double consumerMs = 0;
  private int queue = 256;
  private OverflowPolicy policy = OverflowPolicy.DROP_OLDEST;
  private long seed = 1;

  private BatcherLatencyProgram(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Parses {@code args}, runs every stream count, prints a table to stdout; returns the exit code. */
  public static int run(String[] args) {
    BatcherLatencyProgram p = new BatcherLatencyProgram(System.out);
    try {
      p.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("batcher-latency: " + e.getMessage());
      System.err.println("usage: batcher-latency [--streams 1,4,8] [--fps 50] [--seconds 10]"
          + " [--max-batch 16 | --preferred 16,32,64] [--max-delay-ms 10] [--consumer-ms 0]"
          + " [--queue 256] [--policy block|reject|drop-oldest] [--seed 1]");
      return 2;
    }
    try {
      p.runAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("batcher-latency: interrupted");
      return 1;
    }
    return 0;
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value");
      }
      String v = args[++i];
      switch (name) {
        case "--streams" -> streams = ints(name, v);
        case "--fps" -> fps = positive(name, v);
        case "--seconds" -> seconds = positive(name, v);
        case "--max-batch" -> maxBatch = (int) positive(name, v);
        case "--preferred" -> preferred = ints(name, v).stream().mapToInt(Integer::intValue).toArray();
        case "--max-delay-ms" -> maxDelayMs = nonNegative(name, v);
        case "--consumer-ms" -> consumerMs = nonNegative(name, v);
        case "--queue" -> queue = (int) positive(name, v);
        case "--policy" -> policy = policy(v);
        case "--seed" -> seed = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option '" + name + "'");
      }
    }
  }

  private static List<Integer> ints(String name, String v) {
    List<Integer> list = new ArrayList<>();
    for (String s : v.split(",")) {
      list.add((int) positive(name, s.trim()));
    }
    return list;
  }

  private static double positive(String name, String v) {
    double d = nonNegative(name, v);
    if (d == 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
    return d;
  }

  private static double nonNegative(String name, String v) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes a number, got '" + v + "'");
    }
    if (!(d >= 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(name + " must not be negative, got " + v);
    }
    return d;
  }

  private static OverflowPolicy policy(String v) {
    try {
      return OverflowPolicy.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown policy '" + v + "'; expected block, reject or drop-oldest");
    }
  }

  private void runAll() throws InterruptedException {
    out.printf(Locale.ROOT, "# batcher latency: %.0f fps per stream, %.1f s per run, %s, max delay %.1f ms,"
            + " consumer %.1f ms/batch, queue %d %s, %d cores%n", fps, seconds,
        preferred.length > 0 ? "preferred " + java.util.Arrays.toString(preferred) : "max batch " + maxBatch,
        maxDelayMs, consumerMs, queue, policy, Runtime.getRuntime().availableProcessors());
    // Warm-up: the JIT compiles the submit and delivery paths before anything is measured.
    measure(streams.get(streams.size() - 1), Math.min(2, seconds), false);
    out.println("streams  frames  batches  mean-batch  wait-p50-ms  wait-p99-ms  wait-max-ms  lost");
    for (int n : streams) {
      measure(n, seconds, true);
    }
  }

  private void measure(int streamCount, double runSeconds, boolean print) throws InterruptedException {
    long spinNanos = (long) (consumerMs * 1e6);
    Batcher.Builder<Long> b = Batcher.<Long>builder()
        .maxDelay(Duration.ofNanos((long) (maxDelayMs * 1e6)))
        .queueCapacity(Math.max(queue, preferred.length > 0 ? preferred[preferred.length - 1] : maxBatch))
        .overflowPolicy(policy)
        .dropListener((item, reason) -> { })
        .consumer(batch -> spin(spinNanos));
    if (preferred.length > 0) {
      b.preferredSizes(preferred);
    } else {
      b.maxBatchSize(maxBatch);
    }
    long periodNanos = (long) (1e9 / fps);
    Random rnd = new Random(seed + streamCount);
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(Math.min(streamCount, 4), r -> {
      Thread t = new Thread(r, "stream-clock");
      t.setDaemon(true);
      return t;
    });
    Batcher<Long> batcher = b.build();
    try {
      List<ScheduledFuture<?>> tasks = new ArrayList<>();
      for (int i = 0; i < streamCount; i++) {
        String id = "stream-" + i;
        long[] frameIndex = {0};
        long phase = (long) (rnd.nextDouble() * periodNanos);
        tasks.add(clock.scheduleAtFixedRate(() -> {
          long n = frameIndex[0]++;
          // pts in microseconds, as a 50 fps stream would stamp it; the value is the frame index.
          batcher.submit(id, n * periodNanos / 1000, n);
        }, phase, periodNanos, TimeUnit.NANOSECONDS));
      }
      Thread.sleep((long) (runSeconds * 1000));
      tasks.forEach(t -> t.cancel(false));
      clock.shutdown();
      clock.awaitTermination(5, TimeUnit.SECONDS);
    } finally {
      clock.shutdownNow();
      // Close delivers what is still waiting, so the statistics below count every frame.
      batcher.close();
    }
    BatcherStats s = batcher.stats();
    if (print) {
      out.printf(Locale.ROOT, "%7d  %6d  %7d  %10.2f  %11.2f  %11.2f  %11.2f  %4d%n", streamCount,
          s.delivered(), s.batches(), s.batches() == 0 ? 0.0 : (double) s.delivered() / s.batches(),
          s.waitP50Nanos() / 1e6, s.waitP99Nanos() / 1e6, s.waitMaxNanos() / 1e6, s.lost());
    }
  }

  /** Busy-waits: a stand-in for inference that holds a core, as a real model call would. */
  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (nanos > 0 && System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
