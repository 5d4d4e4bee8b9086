package org.framecodec.bench.wire;

import java.io.ByteArrayOutputStream;
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
import org.framecodec.wire.JsonEnvelope;

/**
 * What does writing the JSON envelope (base64 payload plus shape, mode, quality, timestamp and
 * stream id) cost, for one frame ({@code write}) and a 32-frame batch ({@code writeBatch})? Into a
 * reused, pre-sized stream, so {@code -prof gc} shows what the envelope itself allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class JsonEnvelopeWriteBenchmark {
  @Param({"1", "32"})
  public int frames;

  private final JsonEnvelope envelope = new JsonEnvelope();
  private List<EncodedFrame> batch;
  private ByteArrayOutputStream out;

  @Setup(Level.Trial)
  public void setUp() {
    batch = WireBenchSupport.frames(WireBenchSupport.payloads(frames), WireBenchSupport.width(),
        WireBenchSupport.height());
    out = new ByteArrayOutputStream(envelope.batchToBytes(batch).length + 1024);
  }

  @Benchmark
  public int write() {
    out.reset();
    if (frames == 1) {
      envelope.write(batch.get(0), out);
    } else {
      envelope.writeBatch(batch, out);
    }
    return out.size();
  }
}
