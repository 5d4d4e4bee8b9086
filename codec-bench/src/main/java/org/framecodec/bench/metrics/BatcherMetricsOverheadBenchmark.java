package org.framecodec.bench.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.framecodec.batch.Batcher;
import org.framecodec.metrics.FrameCodecMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does binding a batcher's meters cost on its hot path? One operation submits a full batch
 * of 16 items and has it delivered to a consumer that does nothing: submit, forming the batch, the
 * consumer call and, when bound, the observer that records 16 waits, the batch size and the
 * consumer time. {@code delivery=thread}: the batcher's own thread delivers and the producer
 * waits for it (the hand-off included); {@code delivery=manual}: the producer delivers with
 * {@code tick()}, so the operation is the batcher's own work alone, the case where the meters
 * weigh most. Compared with no registry bound, Micrometer's simple registry and Prometheus'.
 * Sampled, so that the median resists a busy machine's preemptions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BatcherMetricsOverheadBenchmark {
  private static final int BATCH = 16;

  @Param({"none", "simple", "prometheus"})
  public String registry;

  @Param({"thread", "manual"})
  public String delivery;

  private final Semaphore delivered = new Semaphore(0);
  private Batcher<Integer> batcher;
  private FrameCodecMetrics metrics;
  private final Integer item = 7;

  @Setup(Level.Trial)
  public void setUp() {
    Batcher.Builder<Integer> b = Batcher.<Integer>builder().maxBatchSize(BATCH)
        .maxDelay(Duration.ofSeconds(1)).consumer(batch -> delivered.release(batch.size()));
    batcher = (delivery.equals("manual") ? b.manual() : b).build();
    MeterRegistry r = BenchRegistries.create(registry);
    if (r != null) {
      metrics = FrameCodecMetrics.of(r);
      metrics.bind(batcher, "bench");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    batcher.close();
    if (metrics != null) {
      metrics.close();
    }
  }

  @Benchmark
  public void submitAndDeliverOneBatch() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      batcher.submit("cam", i, item);
    }
    if (delivery.equals("manual")) {
      batcher.tick();
    }
    delivered.acquire(BATCH);
  }
}
