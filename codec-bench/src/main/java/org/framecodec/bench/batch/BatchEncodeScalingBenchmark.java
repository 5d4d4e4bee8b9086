package org.framecodec.bench.batch;

import java.util.List;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedBatch;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: how does the throughput of encoding a batch of 1080p frames grow with the number of
 * {@link ParallelBatchCodec} worker threads, and does the batch size change it?
 *
 * <p>Parameters, settings and scores are {@link BatchScalingBenchmark}'s (the target is
 * 1.8x or better from 1 to 2 threads on the 2-core development machine). The output goes into
 * one reused {@link EncodedBatch}, so the run measures encoding, not allocation ({@code
 * output=copy} measures the allocating call instead).
 *
 * <pre>
 * java -jar codec-bench/target/codec-bench.jar jmh BatchEncodeScaling -p threads=1,2 -p batchSize=1,16,32,64
 * </pre>
 */
@State(Scope.Benchmark)
public class BatchEncodeScalingBenchmark extends BatchScalingBenchmark {

  /** {@code reuse}: encode into a reused EncodedBatch; {@code copy}: the allocating call. */
  @Param({"reuse"})
  public String output;

  private EncodeOptions options;
  private List<Frame> batch;
  private EncodedBatch reuse;

  @Setup(Level.Trial)
  public void setUp() {
    options = options();
    batch = fill(openCodec());
    reuse = new EncodedBatch();
    // Grow the slots once so that the measured calls allocate nothing.
    EncodedBatch first = codec.encode(batch, options, reuse);
    if (first.failureCount() != 0) {
      throw new IllegalStateException("setup encode failed: " + first.error(0));
    }
  }

  @Benchmark
  public void encodeBatch(Counters counters, CpuTime cpu, Blackhole bh) {
    measure(counters, cpu, bh, "copy".equals(output) ? () -> codec.encode(batch, options)
        : () -> codec.encode(batch, options, reuse).totalBytes());
  }
}
