package org.framecodec.bench.batch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.BatchResult;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.ParallelBatchCodec;
import org.framecodec.bench.support.BatchInputs;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Question: how does the throughput of decoding a batch of 1080p JPEG payloads grow with the
 * number of {@link ParallelBatchCodec} worker threads, and does the batch size change it?
 *
 * <p>The mirror of {@link BatchEncodeScalingBenchmark}: payloads of four distinct seeded frames
 * are encoded once in setup and decoded into one reused BGR frame per slot
 * ({@code output=allocate} decodes into new frames instead, 6.2 MB each). Primary score batches
 * per second; {@code frames} is frames per second; {@link CpuTime} adds the CPU time and cores
 * the process got, to tell poor scaling from a busy machine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class BatchDecodeScalingBenchmark {

  @Param({"1", "16", "32", "64"})
  public int batchSize;

  @Param({"1", "2"})
  public int threads;

  /** {@code synthetic} (seeded 1080p gradient and noise) or the path of a PNG. */
  @Param({"synthetic"})
  public String source;

  @Param({"cv2-yuv"})
  public String mode;

  @Param({"80"})
  public int quality;

  /** {@code reuse}: decode into reused frames; {@code allocate}: new frames per call. */
  @Param({"reuse"})
  public String output;

  private ParallelBatchCodec codec;
  private JpegMode jpegMode;
  private List<EncodedFrame> payloads;
  private List<Frame> dst;

  /** Frames per second, reported beside batches per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long frames;

    @Setup(Level.Iteration)
    public void clear() {
      frames = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    codec = ParallelBatchCodec.builder().threads(threads).build();
    jpegMode = JpegMode.fromWireName(mode);
    Frame[] distinct = BatchInputs.frames(source, 4, 20261124L);
    EncodedFrame[] encoded = new EncodedFrame[distinct.length];
    try (JpegCodec one = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (int i = 0; i < distinct.length; i++) {
        encoded[i] = one.encodeFrame(distinct[i], EncodeOptions.of(jpegMode, quality));
      }
    }
    payloads = new ArrayList<>(batchSize);
    dst = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      payloads.add(encoded[i % encoded.length]);
      dst.add(Frame.allocate(PixelFormat.BGR, distinct[0].width(), distinct[0].height()));
    }
    BatchResult<Frame> first = codec.decodeInto(payloads, dst);
    if (first.failureCount() != 0) {
      throw new IllegalStateException("setup decode failed: " + first.error(0));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codec.close();
  }

  @Benchmark
  public void decodeBatch(Counters counters, CpuTime cpu, Blackhole bh) {
    cpu.start();
    if ("allocate".equals(output)) {
      bh.consume(codec.decode(payloads, PixelFormat.BGR));
    } else {
      bh.consume(codec.decodeInto(payloads, dst));
    }
    cpu.stop();
    counters.frames += batchSize;
  }
}
