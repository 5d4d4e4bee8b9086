package org.framecodec.bench.wire;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.RawContainer;

/**
 * What does reading the raw binary container back into frames (header and limit checks, CRC-32,
 * payload views) cost, for one frame and a 32-frame batch?
 */
public class RawContainerReadBenchmark extends WireBenchmark {
  private final RawContainer container = new RawContainer();
  private byte[] data;

  @Setup(Level.Trial)
  public void setUp() {
    data = container.toBytes(encodedFrames(frames));
  }

  @Benchmark
  public List<EncodedFrame> read() {
    return container.read(data);
  }
}
