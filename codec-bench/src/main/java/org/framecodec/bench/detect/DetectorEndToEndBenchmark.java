package org.framecodec.bench.detect;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * End to end from the wire: JPEG payloads in, detections out, images per second, for the three
 * ways the detector can work side by side in one run:
 *
 * <ul>
 *   <li>{@code full-serial}: today's structure before issue 12: every payload decoded at full
 *       size, then resized into the tensor, then the model, all on the calling thread
 *       ({@code decodeThreads(0)}, {@code scaledDecode(false)});
 *   <li>{@code scaled-serial}: the same thread, decoding at the model's scale straight into the
 *       tensor;
 *   <li>{@code scaled-pipelined}: decode workers on every core, the model on its own thread, and
 *       {@value #IN_FLIGHT} batches in flight, so one batch's CPU work hides behind another's
 *       forward pass.
 * </ul>
 *
 * <p>Payloads are the Python peer's format ({@code cv2-yuv}, quality 80 by default), encoded once
 * in setup with TurboJPEG; each call decodes them again. {@code -prof gc} shows the allocation per
 * batch ({@code gc.alloc.rate.norm}). Run from the repository root:
 *
 * <pre>
 * java -jar codec-bench/target/codec-bench.jar jmh DetectorEndToEndBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Thread)
public class DetectorEndToEndBenchmark {
  /** Batches kept submitted on the pipelined path. */
  static final int IN_FLIGHT = 3;

  @Param({"16", "64"})
  public int batch;

  @Param({"full-serial", "scaled-serial", "scaled-pipelined"})
  public String path;

  /** {@code astronaut-512} or {@code composite-1080p}, see {@link BenchInputs}. */
  @Param({"composite-1080p"})
  public String frame;

  @Param({"cv2-yuv"})
  public String mode;

  @Param({"80"})
  public int quality;

  /** {@code cpu}, {@code cuda} or {@code cuda_fp16}; a CUDA device that cannot be used fails the trial. */
  @Param({"cpu"})
  public String device;

  @Param({BenchInputs.DEFAULT_MODEL})
  public String model;

  @Param({BenchInputs.DEFAULT_IMAGE})
  public String image;

  private Detector detector;
  private List<EncodedFrame> payloads;
  private final ArrayDeque<CompletableFuture<DetectionBatch>> inFlight = new ArrayDeque<>();
  private StageShares shares;
  private boolean measuring;

  @Setup(Level.Trial)
  public void setUp() {
    boolean serial = path.endsWith("-serial");
    detector = Detector.open(DetectorOptions.builder(BenchInputs.resolve(model), BlazeFaceHead.create())
        .device(DnnDevice.parse(device)).requireGpu(DnnDevice.parse(device).isGpu())
        .maxBatch(batch).decodeThreads(serial ? 0 : Runtime.getRuntime().availableProcessors())
        .scaledDecode(!path.startsWith("full")).build());
    Frame f = BenchInputs.frame(frame, image);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      payloads = BenchInputs.payloads(codec, f, EncodeOptions.of(JpegMode.fromWireName(mode), quality), batch);
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

  /** One batch through: submitted, and (pipelined) the oldest of those in flight collected. */
  @Benchmark
  public DetectionBatch detectEncoded(ImageCounter counter) {
    DetectionBatch result;
    if (path.endsWith("-pipelined")) {
      inFlight.add(detector.detectEncodedAsync(payloads));
      result = inFlight.size() >= IN_FLIGHT ? inFlight.poll().join() : null;
    } else {
      result = detector.detectEncoded(payloads);
    }
    if (result != null) {
      counter.images += batch;
      if (measuring) {
        shares.add(result.timings(), batch);
      }
    }
    return result;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    while (!inFlight.isEmpty()) {
      inFlight.poll().join();
    }
    System.out.println(System.lineSeparator() + shares.report(frame + " " + mode + " q" + quality
        + " batch " + batch + " " + path));
    detector.close();
  }
}
