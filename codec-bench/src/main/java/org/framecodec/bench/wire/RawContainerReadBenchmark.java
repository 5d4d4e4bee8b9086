package org.framecodec.bench.wire;

import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.RawContainer;

/**
 * What does reading the raw binary container back into frames (header and limit checks, CRC-32,
 * payload views) cost, for one frame and a 32-frame batch?
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class RawContainerReadBenchmark {
  @Param({"1", "32"})
  public int frames;

  private final RawContainer container = new RawContainer();
  private byte[] data;

  @Setup(Level.Trial)
  public void setUp() {
    data = container.toBytes(WireBenchSupport.frames(WireBenchSupport.payloads(frames),
        WireBenchSupport.width(), WireBenchSupport.height()));
  }

  @Benchmark
  public List<EncodedFrame> read() {
    return container.read(data);
  }
}
