package org.framecodec.bench.codec;

import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long does one 1080p frame take to encode, per backend, mode and quality? Single thread,
 * into a reused buffer (the steady state of a service), so {@code -prof gc} shows the garbage
 * each backend makes per frame.
 */
public class JpegEncodeBenchmark extends CodecBenchmark {
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
    frame = frame();
    options = options(mode, quality);
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
