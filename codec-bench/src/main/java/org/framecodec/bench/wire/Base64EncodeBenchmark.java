package org.framecodec.bench.wire;

import java.util.Base64;
import java.util.List;
import org.framecodec.wire.Base64Codec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast is standard base64 (RFC 4648, padded) of real JPEG payloads, our {@link Base64Codec}
 * into a reused buffer against {@code java.util.Base64} into a reused buffer and the usual
 * allocating {@code encodeToString}? Per frame and per 32-frame batch; divide the payload bytes
 * (printed by setup) by the time for GB/s.
 */
public class Base64EncodeBenchmark extends WireBenchmark {
  private List<byte[]> payloads;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    payloads = payloads(frames);
    int largest = payloads.stream().mapToInt(p -> p.length).max().orElseThrow();
    out = new byte[Base64Codec.encodedLength(largest)];
    System.out.printf("%n[setup] %d payloads, %d bytes in all%n", frames, totalBytes(payloads));
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
