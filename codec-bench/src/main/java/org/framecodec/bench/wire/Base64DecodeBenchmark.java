package org.framecodec.bench.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.framecodec.wire.Base64Codec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast is decoding base64 text of real JPEG payloads back to bytes, our {@link Base64Codec}
 * into a reused buffer against {@code java.util.Base64} into a reused buffer and the usual
 * allocating {@code decode(String)}? Per frame and per 32-frame batch.
 */
public class Base64DecodeBenchmark extends WireBenchmark {
  private List<byte[]> text;
  private List<String> strings;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    List<byte[]> payloads = payloads(frames);
    text = new ArrayList<>();
    strings = new ArrayList<>();
    for (byte[] p : payloads) {
      String s = Base64.getEncoder().encodeToString(p);
      strings.add(s);
      text.add(s.getBytes(StandardCharsets.US_ASCII));
    }
    int longest = text.stream().mapToInt(t -> t.length).max().orElseThrow();
    out = new byte[Base64Codec.maxDecodedLength(longest)];
    System.out.printf("%n[setup] %d payloads, %d bytes in all%n", frames, totalBytes(payloads));
  }

  @Benchmark
  public int framecodecIntoBuffer() {
    int n = 0;
    for (byte[] t : text) {
      n += Base64Codec.decode(t, 0, t.length, out, 0);
    }
    return n;
  }

  @Benchmark
  public int jdkIntoBuffer() {
    int n = 0;
    Base64.Decoder dec = Base64.getDecoder();
    for (byte[] t : text) {
      n += dec.decode(t, out);
    }
    return n;
  }

  @Benchmark
  public void jdkFromString(Blackhole bh) {
    Base64.Decoder dec = Base64.getDecoder();
    for (String s : strings) {
      bh.consume(dec.decode(s));
    }
  }
}
