package org.framecodec.bench.wire;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.RawContainer;

/**
 * What does writing the raw binary container (header, per-frame fields, payload bytes, CRC-32)
 * cost, for one frame and a 32-frame batch, into a reused array? The alternative to base64-JSON
 * the source document suggests but never measured.
 */
public class RawContainerWriteBenchmark extends WireBenchmark {
  private final RawContainer container = new RawContainer();
  private List<EncodedFrame> batch;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    batch = encodedFrames(frames);
    out = new byte[container.encodedSize(batch)];
  }

  @Benchmark
  public int write() {
    return container.write(batch, out, 0);
  }
}
