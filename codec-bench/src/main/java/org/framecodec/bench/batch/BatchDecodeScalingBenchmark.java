package org.framecodec.bench.batch;

import java.util.ArrayList;
import java.util.List;
import org.framecodec.codec.BatchResult;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: how does the throughput of decoding a batch of 1080p JPEG payloads grow with the
 * number of {@link ParallelBatchCodec} worker threads, and does the batch size change it?
 *
 * <p>The mirror of {@link BatchEncodeScalingBenchmark}, with {@link BatchScalingBenchmark}'s
 * parameters, settings and scores: payloads of the distinct frames are encoded once in setup and
 * decoded into one reused BGR frame per slot ({@code output=allocate} decodes into new frames
 * instead, 6.2 MB each).
 */
@State(Scope.Benchmark)
public class BatchDecodeScalingBenchmark extends BatchScalingBenchmark {

  /** {@code reuse}: decode into reused frames; {@code allocate}: new frames per call. */
  @Param({"reuse"})
  public String output;

  private List<EncodedFrame> payloads;
  private List<Frame> dst;

  @Setup(Level.Trial)
  public void setUp() {
    List<Frame> distinct = openCodec();
    List<EncodedFrame> encoded = new ArrayList<>();
    try (JpegCodec one = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (Frame f : distinct) {
        encoded.add(one.encodeFrame(f, options()));
      }
    }
    payloads = fill(encoded);
    dst = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      dst.add(Frame.allocate(PixelFormat.BGR, distinct.get(0).width(), distinct.get(0).height()));
    }
    BatchResult<Frame> first = codec.decodeInto(payloads, dst);
    if (first.failureCount() != 0) {
      throw new IllegalStateException("setup decode failed: " + first.error(0));
    }
  }

  @Benchmark
  public void decodeBatch(Counters counters, CpuTime cpu, Blackhole bh) {
    measure(counters, cpu, bh, "allocate".equals(output) ? () -> codec.decode(payloads, PixelFormat.BGR)
        : () -> codec.decodeInto(payloads, dst));
  }
}
