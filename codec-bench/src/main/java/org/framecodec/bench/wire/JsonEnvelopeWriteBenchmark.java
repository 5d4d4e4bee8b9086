package org.framecodec.bench.wire;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.JsonEnvelope;

/**
 * What does writing the JSON envelope (base64 payload plus shape, mode, quality, timestamp and
 * stream id) cost, for one frame ({@code write}) and a 32-frame batch ({@code writeBatch})? Into a
 * reused, pre-sized stream, so {@code -prof gc} shows what the envelope itself allocates.
 */
public class JsonEnvelopeWriteBenchmark extends WireBenchmark {
  private final JsonEnvelope envelope = new JsonEnvelope();
  private List<EncodedFrame> batch;
  private ByteArrayOutputStream out;

  @Setup(Level.Trial)
  public void setUp() {
    batch = encodedFrames(frames);
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
