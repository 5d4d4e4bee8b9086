package org.framecodec.bench.codec;

import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long does one 1080p payload take to decode into a reused frame, per backend, mode and
 * quality? The payload is made once in setup by the TurboJPEG backend (both decode it).
 */
public class JpegDecodeBenchmark extends CodecBenchmark {
  @Param({"turbojpeg", "opencv"})
  public String backend;

  @Param({"cv2-yuv", "ycbcr-420", "ycbcr-444", "gray"})
  public String mode;

  @Param({"50", "80", "90", "100"})
  public int quality;

  private JpegCodec codec;
  private byte[] payload;
  private JpegMode jpegMode;
  private Frame target;

  @Setup(Level.Trial)
  public void setUp() {
    Frame frame = frame();
    EncodeOptions options = options(mode, quality);
    try (JpegCodec maker = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      payload = maker.encode(frame, options);
    }
    jpegMode = options.mode();
    target = Frame.allocate(jpegMode == JpegMode.GRAY ? PixelFormat.GRAY : PixelFormat.BGR,
        frame.width(), frame.height());
    codec = JpegCodec.open(CodecBackend.parse(backend));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    codec.close();
  }

  @Benchmark
  public Frame decode() {
    codec.decodeInto(payload, 0, payload.length, jpegMode, target);
    return target;
  }
}
