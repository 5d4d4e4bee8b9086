package org.framecodec.bench.detect;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.BlazeFaceHead;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * End to end from the wire: JPEG payloads in, detections out (decode + pre-process + inference +
 * post-process), images per second and each stage's share, on the CPU.
 *
 * <p>Payloads are the Python peer's format ({@code cv2-yuv}, quality 80 by default), encoded once
 * in setup with TurboJPEG; each call decodes all {@code batch} of them again with the detector's
 * own codec. Run from the repository root:
 *
 * <pre>
 * java -cp codec-bench/target/codec-bench.jar org.openjdk.jmh.Main DetectorEndToEndBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class DetectorEndToEndBenchmark {
  @Param({"1", "16", "64"})
  public int batch;

  /** {@code astronaut-512} or {@code composite-1080p}, see {@link BenchInputs}. */
  @Param({"astronaut-512", "composite-1080p"})
  public String frame;

  @Param({"cv2-yuv"})
  public String mode;

  @Param({"80"})
  public int quality;

  /** {@code cpu}, {@code cuda} or {@code cuda_fp16}; a CUDA device that cannot be used fails the trial. */
  @Param({"cpu"})
  public String device;

  @Param({BenchInputs.BUNDLED})
  public String model;

  @Param({BenchInputs.BUNDLED})
  public String image;

  private Detector detector;
  private List<EncodedFrame> payloads;
  private JpegMode jpegMode;
  private StageShares shares;
  private boolean measuring;

  @Setup(Level.Trial)
  public void setUp() {
    jpegMode = JpegMode.fromWireName(mode);
    detector = Detector.open(DetectorOptions.builder(BenchInputs.model(model), BlazeFaceHead.create())
        .device(DnnDevice.parse(device)).requireGpu(DnnDevice.parse(device).isGpu())
        .maxBatch(batch).build());
    Frame f = BenchInputs.frame(frame, image);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      payloads = BenchInputs.payloads(codec, f, EncodeOptions.of(jpegMode, quality), batch);
    }
    shares = new StageShares();
    System.out.println("detector: " + detector + "; payload " + payloads.get(0).payloadLength()
        + " bytes (" + frame + ", " + mode + " q" + quality + ")");
  }

  /** Stage shares count measurement iterations only, not warm-up. */
  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  @Benchmark
  public DetectionBatch detectEncoded(ImageCounter counter) {
    DetectionBatch result = detector.detectEncoded(payloads);
    counter.images += batch;
    if (measuring) {
      shares.add(result.timings(), batch);
    }
    return result;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println(System.lineSeparator() + shares.report(frame + " " + mode + " q" + quality + " batch " + batch));
    detector.close();
  }
}
