package org.framecodec.bench.wire;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.JsonEnvelope;

/**
 * What does parsing the JSON envelope back into frames (Jackson streaming parse, base64 decode
 * of each payload, field checks against the limits) cost, for one frame and a 32-frame batch?
 */
public class JsonEnvelopeParseBenchmark extends WireBenchmark {
  private final JsonEnvelope envelope = new JsonEnvelope();
  private byte[] json;

  @Setup(Level.Trial)
  public void setUp() {
    List<EncodedFrame> batch = encodedFrames(frames);
    json = frames == 1 ? envelope.toBytes(batch.get(0)) : envelope.batchToBytes(batch);
  }

  @Benchmark
  public List<EncodedFrame> parse() {
    return envelope.read(json);
  }
}
