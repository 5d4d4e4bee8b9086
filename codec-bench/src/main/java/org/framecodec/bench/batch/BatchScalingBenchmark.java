package org.framecodec.bench.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.framecodec.bench.support.BatchInputs;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the two batch scaling benchmarks share ({@link BatchEncodeScalingBenchmark}, {@link
 * BatchDecodeScalingBenchmark}): the question's parameters (batch size, worker threads, input,
 * mode, quality), the settings, the {@link ParallelBatchCodec} under test and the frames/s
 * counter. Inputs are four distinct seeded 1080p frames from {@link BatchInputs} (or one PNG)
 * repeated to fill the batch. One benchmark thread submits whole batches; the codec's workers do
 * the work, so compare {@code threads=1} with {@code threads=2} at equal batch size. The primary
 * score is batches per second; the {@code frames} secondary score is frames per second,
 * comparable across batch sizes; {@link CpuTime} adds the CPU time and cores the process got.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public abstract class BatchScalingBenchmark {
  /** Seed of the four distinct synthetic frames. */
  static final long SEED = 20261124L;

  @Param({"1", "16", "32", "64"})
  public int batchSize;

  @Param({"1", "2"})
  public int threads;

  /** {@code synthetic} (seeded 1080p gradient and noise) or the path of a PNG. */
  @Param({"synthetic"})
  public String source;

  @Param({"cv2-yuv"})
  public String mode;

  @Param({"80"})
  public int quality;

  /** The codec under test, made by {@link #openCodec()}; closed after the trial. */
  ParallelBatchCodec codec;

  /** Frames per second, reported beside batches per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long frames;

    @Setup(Level.Iteration)
    public void clear() {
      frames = 0;
    }
  }

  /** Opens the codec with {@code threads} workers and returns the distinct input frames. */
  List<Frame> openCodec() {
    codec = ParallelBatchCodec.builder().threads(threads).build();
    return List.of(BatchInputs.frames(source, 4, SEED));
  }

  /** The {@code mode} and {@code quality} parameters as options. */
  EncodeOptions options() {
    return EncodeOptions.of(JpegMode.fromWireName(mode), quality);
  }

  /** A batch of {@code batchSize}: the distinct items repeated in order. */
  <T> List<T> fill(List<T> distinct) {
    List<T> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.add(distinct.get(i % distinct.size()));
    }
    return batch;
  }

  /** One measured batch call: the process's CPU and wall time around it, and its frames counted. */
  void measure(Counters counters, CpuTime cpu, Blackhole bh, Supplier<?> call) {
    cpu.start();
    bh.consume(call.get());
    cpu.stop();
    counters.frames += batchSize;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codec.close();
  }
}
