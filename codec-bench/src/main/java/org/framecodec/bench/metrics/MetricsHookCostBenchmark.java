package org.framecodec.bench.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.framecodec.batch.Batch;
import org.framecodec.batch.Batcher;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.JpegMode;
import org.framecodec.metrics.BatcherMetrics;
import org.framecodec.metrics.CodecMetrics;
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
 * What does each bound hook cost per call, alone? The codec listener once per encode, and the
 * batcher observer once per delivered batch of 16 (16 waits, the batch size, the consumer time).
 * Short calls, so a busy machine's noise weighs less than in the end-to-end comparisons of
 * {@link BatcherMetricsOverheadBenchmark} and {@link CodecMetricsOverheadBenchmark}; divide by the
 * cost of the operation the hook rides on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class MetricsHookCostBenchmark {
  @Param({"simple", "prometheus"})
  public String registry;

  private CodecMetrics codecs;
  private BatcherMetrics batcherMetrics;
  private Batcher<Integer> batcher;
  private Batch<?> batch;
  private long tick;

  @Setup(Level.Trial)
  public void setUp() {
    MeterRegistry r = BenchRegistries.create(registry);
    codecs = new CodecMetrics(Tags.empty());
    codecs.bindTo(r);
    AtomicReference<Batch<Integer>> seen = new AtomicReference<>();
    batcher = Batcher.<Integer>builder().manual().maxBatchSize(16).consumer(seen::set).build();
    for (int i = 0; i < 16; i++) {
      batcher.submit("cam", i, i);
    }
    batcher.tick();
    batch = seen.get();
    batcherMetrics = new BatcherMetrics(batcher, "bench", Tags.empty());
    batcherMetrics.bindTo(r);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codecs.close();
    batcherMetrics.close();
    batcher.close();
  }

  @Benchmark
  public void codecListenerPerEncode() {
    codecs.encoded(CodecBackend.TURBOJPEG, JpegMode.CV2_YUV, 166_819, 6_000_000L + (tick++ & 4095));
  }

  @Benchmark
  public void batcherObserverPerBatchOf16() {
    long start = batch.createdNanos() + 5_000_000L + (tick++ & 4095);
    batcherMetrics.delivered(batch, start, start + 2_000_000L, false);
  }
}
