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
 * What does writing the raw binary container (header, per-frame fields, payload bytes, CRC-32)
 * cost, for one frame and a 32-frame batch, into a reused array? The alternative to base64-JSON
 * the source document suggests but never measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class RawContainerWriteBenchmark {
  @Param({"1", "32"})
  public int frames;

  private final RawContainer container = new RawContainer();
  private List<EncodedFrame> batch;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    batch = WireBenchSupport.frames(WireBenchSupport.payloads(frames), WireBenchSupport.width(),
        WireBenchSupport.height());
    out = new byte[container.encodedSize(batch)];
  }

  @Benchmark
  public int write() {
    return container.write(batch, out, 0);
  }
}
