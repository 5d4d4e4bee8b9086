package org.framecodec.bench.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.metrics.FrameCodecMetrics;
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
 * What does binding the codec meters cost per encode? One cv2-yuv q80 TurboJPEG encode into a
 * reused buffer, of the bundled 1080p frame or a 320x180 crop of it (where a fixed cost per call
 * weighs 36 times more), with no registry bound, Micrometer's simple registry and Prometheus'.
 * When bound, each encode also reads the clock twice and records a timer and a counter. Sampled,
 * so that the median resists a busy machine's preemptions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CodecMetricsOverheadBenchmark {
  @Param({"none", "simple", "prometheus"})
  public String registry;

  @Param({"1920x1080", "320x180"})
  public String size;

  private JpegCodec codec;
  private Frame frame;
  private final EncodeOptions options = EncodeOptions.cv2Yuv(80);
  private byte[] out;
  private FrameCodecMetrics metrics;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String file = System.getProperty("framecodec.frame");
    Frame full = BenchImages.load(file == null ? null : Path.of(file));
    frame = size.equals("320x180") ? full.crop(800, 450, 320, 180) : full;
    codec = JpegCodec.open(CodecBackend.TURBOJPEG);
    out = new byte[codec.maxEncodedSize(frame.width(), frame.height(), options)];
    MeterRegistry r = BenchRegistries.create(registry);
    if (r != null) {
      metrics = FrameCodecMetrics.of(r);
      metrics.bindCodecs();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codec.close();
    if (metrics != null) {
      metrics.close();
    }
  }

  @Benchmark
  public int encode() {
    return codec.encode(frame, options, out, 0);
  }
}
