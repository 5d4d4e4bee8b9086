package org.framecodec.bench.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.EncodedBatch;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegMode;
import org.framecodec.bench.support.BatchInputs;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: how does the throughput of encoding a batch of 1080p frames grow with the number of
 * {@link ParallelBatchCodec} worker threads, and does the batch size change it?
 *
 * <p>One benchmark thread submits whole batches; the codec's {@code threads} workers do the work,
 * so compare {@code threads=1} with {@code threads=2} at equal batch size (the target is
 * 1.8x or better on the 2-core development machine). The primary score is batches per second;
 * the {@code frames} secondary score is frames per second, comparable across batch sizes.
 * {@link CpuTime} adds the CPU time and cores the process got, to tell poor scaling from a busy
 * machine. Inputs are four distinct seeded frames (or one PNG) repeated to fill the batch; the output
 * goes into one reused {@link EncodedBatch}, so the run measures encoding, not allocation
 * ({@code output=copy} measures the allocating call instead).
 *
 * <pre>
 * java -cp codec-bench/target/classes:$(cat cp.txt) org.openjdk.jmh.Main BatchEncodeScaling \
 *     -p threads=1,2 -p batchSize=1,16,32,64
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class BatchEncodeScalingBenchmark {

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

  /** {@code reuse}: encode into a reused EncodedBatch; {@code copy}: the allocating call. */
  @Param({"reuse"})
  public String output;

  private ParallelBatchCodec codec;
  private EncodeOptions options;
  private List<Frame> batch;
  private EncodedBatch reuse;

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

  @Setup(Level.Trial)
  public void setUp() {
    codec = ParallelBatchCodec.builder().threads(threads).build();
    options = EncodeOptions.of(JpegMode.fromWireName(mode), quality);
    Frame[] distinct = BatchInputs.frames(source, 4, 20261124L);
    batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.add(distinct[i % distinct.length]);
    }
    reuse = new EncodedBatch();
    // Grow the slots once so that the measured calls allocate nothing.
    EncodedBatch first = codec.encode(batch, options, reuse);
    if (first.failureCount() != 0) {
      throw new IllegalStateException("setup encode failed: " + first.error(0));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codec.close();
  }

  @Benchmark
  public void encodeBatch(Counters counters, CpuTime cpu, Blackhole bh) {
    cpu.start();
    if ("copy".equals(output)) {
      bh.consume(codec.encode(batch, options));
    } else {
      bh.consume(codec.encode(batch, options, reuse).totalBytes());
    }
    cpu.stop();
    counters.frames += batchSize;
  }
}
