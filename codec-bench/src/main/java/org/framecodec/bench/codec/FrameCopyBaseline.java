package org.framecodec.bench.codec;

import java.util.concurrent.TimeUnit;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The floor under every codec figure: copying the 6.2 MB raw 1080p frame once. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class FrameCopyBaseline {
  private byte[] src;
  private byte[] dst;

  @Setup(Level.Trial)
  public void setUp() {
    Frame f = CodecBenchSupport.frame();
    src = f.toByteArray();
    dst = new byte[src.length];
  }

  @Benchmark
  public byte[] memcpy() {
    System.arraycopy(src, 0, dst, 0, src.length);
    return dst;
  }
}
