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
import org.framecodec.wire.JsonEnvelope;

/**
 * What does parsing the JSON envelope back into frames (Jackson streaming parse, base64 decode
 * of each payload, field checks against the limits) cost, for one frame and a 32-frame batch?
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class JsonEnvelopeParseBenchmark {
  @Param({"1", "32"})
  public int frames;

  private final JsonEnvelope envelope = new JsonEnvelope();
  private byte[] json;

  @Setup(Level.Trial)
  public void setUp() {
    List<EncodedFrame> batch = WireBenchSupport.frames(WireBenchSupport.payloads(frames),
        WireBenchSupport.width(), WireBenchSupport.height());
    json = frames == 1 ? envelope.toBytes(batch.get(0)) : envelope.batchToBytes(batch);
  }

  @Benchmark
  public List<EncodedFrame> parse() {
    return envelope.read(json);
  }
}
