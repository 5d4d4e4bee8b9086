package org.framecodec.bench.wire;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.wire.Base64Codec;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast is standard base64 (RFC 4648, padded) of real JPEG payloads, our {@link Base64Codec}
 * into a reused buffer against {@code java.util.Base64} into a reused buffer and the usual
 * allocating {@code encodeToString}? Per frame and per 32-frame batch; divide the payload bytes
 * (printed by setup) by the time for GB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class Base64EncodeBenchmark {
  @Param({"1", "32"})
  public int frames;

  private List<byte[]> payloads;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    payloads = WireBenchSupport.payloads(frames);
    int largest = payloads.stream().mapToInt(p -> p.length).max().orElseThrow();
    out = new byte[Base64Codec.encodedLength(largest)];
    System.out.printf("%n[setup] %d payloads, %d bytes in all%n", frames, WireBenchSupport.totalBytes(payloads));
  }

  @Benchmark
  public int framecodecIntoBuffer() {
    int n = 0;
    for (byte[] p : payloads) {
      n += Base64Codec.encode(p, 0, p.length, out, 0);
    }
    return n;
  }

  @Benchmark
  public int jdkIntoBuffer() {
    int n = 0;
    Base64.Encoder enc = Base64.getEncoder();
    for (byte[] p : payloads) {
      n += enc.encode(p, out);
    }
    return n;
  }

  @Benchmark
  public void jdkToString(Blackhole bh) {
    Base64.Encoder enc = Base64.getEncoder();
    for (byte[] p : payloads) {
      bh.consume(enc.encodeToString(p));
    }
  }
}
