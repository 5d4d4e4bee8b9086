package org.framecodec.bench.detect;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.framecodec.detect.BlazeFaceHead;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
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
 * What the detector benchmarks share ({@link DetectorThroughputBenchmark}, {@link
 * DetectorEndToEndBenchmark}): the settings, the device, model and image parameters, the BlazeFace
 * detector under test, and the per-stage shares of the measurement iterations (not warm-up),
 * printed when the trial ends. The primary score is calls per second; the secondary {@code
 * images} ({@link ImageCounter}) is images per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public abstract class DetectorBenchmark {
  /** {@code cpu}, {@code cuda} or {@code cuda_fp16}; a CUDA device that cannot be used fails the trial. */
  @Param({"cpu"})
  public String device;

  /** The ONNX model file, or {@code bundled} for the BlazeFace front model in the jar. */
  @Param({BenchInputs.BUNDLED})
  public String model;

  /** The portrait the frames are made of, or {@code bundled} for the astronaut in the jar. */
  @Param({BenchInputs.BUNDLED})
  public String image;

  /** The detector under test, opened by {@link #openDetector}; closed after the trial. */
  Detector detector;
  private final StageShares shares = new StageShares();
  private boolean measuring;

  /** Opens the BlazeFace detector on {@code device} for batches of up to {@code maxBatch}. */
  void openDetector(int maxBatch) {
    openDetector(maxBatch, b -> b);
  }

  /** As {@link #openDetector(int)}, with the benchmark's own options on top. */
  void openDetector(int maxBatch, UnaryOperator<DetectorOptions.Builder> options) {
    DnnDevice d = DnnDevice.parse(device);
    detector = Detector.open(options.apply(DetectorOptions.builder(BenchInputs.model(model),
        BlazeFaceHead.create()).device(d).requireGpu(d.isGpu()).maxBatch(maxBatch)).build());
    System.out.println("detector: " + detector + ", " + detector.info().target()
        + detector.info().fallbackReason().map(r -> " (" + r + ")").orElse(""));
  }

  /** Stage shares count measurement iterations only, not warm-up. */
  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  /** Counts a call's images and adds its stage timings; returns the result for JMH to consume. */
  DetectionBatch counted(DetectionBatch result, ImageCounter counter, int batch) {
    counter.images += batch;
    if (measuring) {
      shares.add(result.timings(), batch);
    }
    return result;
  }

  /** Names the trial in the stage-share line. */
  abstract String label();

  /** Called before the detector closes: a benchmark with work in flight collects it here. */
  void drain() {}

  @TearDown(Level.Trial)
  public void tearDown() {
    drain();
    System.out.println(System.lineSeparator() + shares.report(label()));
    detector.close();
  }
}
