package org.framecodec.bench.detect;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * How many images per second the detector gets through from decoded frames (pre-process +
 * inference + post-process), by batch size, on the CPU.
 *
 * <p>Each call detects a batch of {@code batch} references to one frame, so every item costs the
 * same. The primary score is calls per second; the secondary {@code images} is images per second.
 * The trial ends by printing each stage's share of the time. OpenCV runs inference on its own
 * thread pool (all cores); the benchmark thread is one. Run from the repository root:
 *
 * <pre>
 * java -cp codec-bench/target/codec-bench.jar org.openjdk.jmh.Main DetectorThroughputBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class DetectorThroughputBenchmark {
  @Param({"1", "16", "32", "64"})
  public int batch;

  /** {@code astronaut-512} or {@code composite-1080p}, see {@link BenchInputs}. */
  @Param({"astronaut-512"})
  public String frame;

  /** {@code cpu}, {@code cuda} or {@code cuda_fp16}; a CUDA device that cannot be used fails the trial. */
  @Param({"cpu"})
  public String device;

  @Param({BenchInputs.BUNDLED})
  public String model;

  @Param({BenchInputs.BUNDLED})
  public String image;

  private Detector detector;
  private List<Frame> frames;
  private StageShares shares;
  private boolean measuring;

  @Setup(Level.Trial)
  public void setUp() {
    Path modelPath = BenchInputs.model(model);
    detector = Detector.open(DetectorOptions.builder(modelPath, BlazeFaceHead.create())
        .device(DnnDevice.parse(device)).requireGpu(DnnDevice.parse(device).isGpu())
        .maxBatch(batch).build());
    frames = BenchInputs.repeat(BenchInputs.frame(frame, image), batch);
    shares = new StageShares();
    System.out.println("detector: " + detector + ", " + detector.info().target()
        + detector.info().fallbackReason().map(r -> " (" + r + ")").orElse(""));
  }

  /** Stage shares count measurement iterations only, not warm-up. */
  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  @Benchmark
  public DetectionBatch detect(ImageCounter counter) {
    DetectionBatch result = detector.detect(frames);
    counter.images += batch;
    if (measuring) {
      shares.add(result.timings(), batch);
    }
    return result;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println(System.lineSeparator() + shares.report("frames " + frame + " batch " + batch));
    detector.close();
  }
}
