package org.framecodec.bench.batch;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.BatcherStats;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.bench.FrameCodecCli;
import org.framecodec.bench.support.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
 * <p>{@code framecodec batcher-latency --help} lists the options and their defaults.
 */
@Command(name = "batcher-latency", description = "Submit-to-delivery latency of the Batcher when live streams"
    + " feed it at a steady frame rate.")
public final class BatcherLatencyProgram implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--streams", split = ",", paramLabel = "N", description = "Stream counts to run.")
  List<Integer> streams = List.of(1, 4, 8);

  @Option(names = "--fps", paramLabel = "F", description = "Frames per second of each stream.")
  double fps = 50;

  @Option(names = "--seconds", paramLabel = "S", description = "Seconds per run.")
  double seconds = 10;

  @Option(names = "--max-batch", paramLabel = "N", description = "Largest batch (unless --preferred is given).")
  int maxBatch = 16;

  @Option(names = "--preferred", split = ",", paramLabel = "N", showDefaultValue = Help.Visibility.NEVER,
      description = "Preferred batch sizes; replaces --max-batch (its largest size is the maximum).")
  int[] preferred = new int[0];

  @Option(names = "--max-delay-ms", paramLabel = "MS", description = "Longest a frame waits for its batch to fill.")
  double maxDelayMs = 10;

  @Option(names = "--consumer-ms", paramLabel = "MS", description = "Busy time per batch, standing in for inference.")
  double consumerMs = 0;

  @Option(names = "--queue", paramLabel = "N", description = "Queue capacity.")
  int queue = 256;

  @Option(names = "--policy", paramLabel = "P", description = "Overflow policy: block, reject or drop-oldest.")
  String policyName = "drop-oldest";

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the streams' random phases.")
  long seed = 1;

  private OverflowPolicy policy;
  private PrintWriter out;

  @Override
  public Integer call() throws InterruptedException {
    check();
    out = spec.commandLine().getOut();
    runAll(FrameCodecCli.progress(spec));
    return 0;
  }

  private void check() {
    for (int n : streams) {
      positive("--streams", n);
    }
    for (int n : preferred) {
      positive("--preferred", n);
    }
    positive("--fps", fps);
    positive("--seconds", seconds);
    positive("--max-batch", maxBatch);
    positive("--queue", queue);
    if (!(maxDelayMs >= 0) || !(consumerMs >= 0) || Double.isInfinite(maxDelayMs) || Double.isInfinite(consumerMs)) {
      throw new ParameterException(spec.commandLine(), "--max-delay-ms and --consumer-ms must not be negative, got "
          + maxDelayMs + " and " + consumerMs);
    }
    try {
      policy = OverflowPolicy.valueOf(policyName.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "unknown --policy '" + policyName
          + "'; expected block, reject or drop-oldest");
    }
  }

  private void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new ParameterException(spec.commandLine(), name + " must be positive, got " + v);
    }
  }

  private void runAll(Progress progress) throws InterruptedException {
    out.printf(Locale.ROOT, "# batcher latency: %.0f fps per stream, %.1f s per run, %s, max delay %.1f ms,"
            + " consumer %.1f ms/batch, queue %d %s, %d cores%n", fps, seconds,
        preferred.length > 0 ? "preferred " + java.util.Arrays.toString(preferred) : "max batch " + maxBatch,
        maxDelayMs, consumerMs, queue, policy, Runtime.getRuntime().availableProcessors());
    // Warm-up: the JIT compiles the submit and delivery paths before anything is measured.
    progress.step(0, streams.size(), "warming up");
    measure(streams.get(streams.size() - 1), Math.min(2, seconds));
    progress.clear();
    out.println("streams  frames  batches  mean-batch  wait-p50-ms  wait-p99-ms  wait-max-ms  lost");
    out.flush();
    int done = 0;
    for (int n : streams) {
      progress.step(done, streams.size(), n + " streams for " + seconds + " s");
      BatcherStats s = measure(n, seconds);
      progress.clear();
      out.printf(Locale.ROOT, "%7d  %6d  %7d  %10.2f  %11.2f  %11.2f  %11.2f  %4d%n", n, s.delivered(), s.batches(),
          s.batches() == 0 ? 0.0 : (double) s.delivered() / s.batches(), s.waitP50Nanos() / 1e6,
          s.waitP99Nanos() / 1e6, s.waitMaxNanos() / 1e6, s.lost());
      out.flush();
      done++;
    }
    progress.step(done, streams.size(), "done");
    progress.done();
  }

  /** Runs {@code streamCount} streams into a fresh batcher for {@code runSeconds}; returns its statistics. */
  private BatcherStats measure(int streamCount, double runSeconds) throws InterruptedException {
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
    return batcher.stats();
  }

  /** Busy-waits: a stand-in for inference that holds a core, as a real model call would. */
  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (nanos > 0 && System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
