package org.framecodec.bench.detect;

import java.util.List;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * End to end from the wire: JPEG payloads in, detections out (decode + pre-process + inference +
 * post-process), images per second and each stage's share, on the CPU.
 *
 * <p>Payloads are the Python peer's format ({@code cv2-yuv}, quality 80 by default), encoded once
 * in setup with TurboJPEG; each call decodes all {@code batch} of them again with the detector's
 * own codec. Run:
 *
 * <pre>
 * java -jar codec-bench/target/codec-bench.jar jmh DetectorEndToEndBenchmark
 * </pre>
 */
public class DetectorEndToEndBenchmark extends DetectorBenchmark {
  @Param({"1", "16", "64"})
  public int batch;

  /** {@code astronaut-512} or {@code composite-1080p}, see {@link BenchInputs}. */
  @Param({"astronaut-512", "composite-1080p"})
  public String frame;

  @Param({"cv2-yuv"})
  public String mode;

  @Param({"80"})
  public int quality;

  private List<EncodedFrame> payloads;
  private JpegMode jpegMode;

  @Setup(Level.Trial)
  public void setUp() {
    jpegMode = JpegMode.fromWireName(mode);
    openDetector(batch);
    Frame f = BenchInputs.frame(frame, image);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      payloads = BenchInputs.payloads(codec, f, EncodeOptions.of(jpegMode, quality), batch);
    }
    System.out.println("payload " + payloads.get(0).payloadLength()
        + " bytes (" + frame + ", " + mode + " q" + quality + ")");
  }

  @Benchmark
  public DetectionBatch detectEncoded(ImageCounter counter) {
    return counted(detector.detectEncoded(payloads), counter, batch);
  }

  @Override
  String label() {
    return frame + " " + mode + " q" + quality + " batch " + batch;
  }
}
