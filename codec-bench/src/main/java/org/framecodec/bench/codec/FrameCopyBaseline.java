package org.framecodec.bench.codec;

import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/** The floor under every codec figure: copying the 6.2 MB raw 1080p frame once. */
public class FrameCopyBaseline extends CodecBenchmark {
  private byte[] src;
  private byte[] dst;

  @Setup(Level.Trial)
  public void setUp() {
    Frame f = frame();
    src = f.toByteArray();
    dst = new byte[src.length];
  }

  @Benchmark
  public byte[] memcpy() {
    System.arraycopy(src, 0, dst, 0, src.length);
    return dst;
  }
}
