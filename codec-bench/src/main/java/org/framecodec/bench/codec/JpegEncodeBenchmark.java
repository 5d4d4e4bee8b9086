package org.framecodec.bench.codec;

import java.util.concurrent.TimeUnit;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
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

/**
 * How long does one 1080p frame take to encode, per backend, mode and quality? Single thread,
 * into a reused buffer (the steady state of a service), so {@code -prof gc} shows the garbage
 * each backend makes per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class JpegEncodeBenchmark {
  @Param({"turbojpeg", "opencv"})
  public String backend;

  @Param({"cv2-yuv", "ycbcr-420", "ycbcr-422", "ycbcr-444", "gray"})
  public String mode;

  @Param({"50", "80", "90", "100"})
  public int quality;

  private JpegCodec codec;
  private Frame frame;
  private EncodeOptions options;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    frame = CodecBenchSupport.frame();
    options = CodecBenchSupport.options(mode, quality);
    codec = JpegCodec.open(CodecBackend.parse(backend));
    out = new byte[codec.maxEncodedSize(frame.width(), frame.height(), options)];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codec.close();
  }

  @Benchmark
  public int encode() {
    return codec.encode(frame, options, out, 0);
  }
}
