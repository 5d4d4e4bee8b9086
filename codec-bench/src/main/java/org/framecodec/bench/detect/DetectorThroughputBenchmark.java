package org.framecodec.bench.detect;

import java.util.List;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.frames.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * How many images per second the detector gets through from decoded frames (pre-process +
 * inference + post-process), by batch size, on the CPU.
 *
 * <p>Each call detects a batch of {@code batch} references to one frame, so every item costs the
 * same. The primary score is calls per second; the secondary {@code images} is images per second.
 * The trial ends by printing each stage's share of the time. OpenCV runs inference on its own
 * thread pool (all cores); the benchmark thread is one. Run:
 *
 * <pre>
 * java -jar codec-bench/target/codec-bench.jar jmh DetectorThroughputBenchmark
 * </pre>
 */
public class DetectorThroughputBenchmark extends DetectorBenchmark {
  @Param({"1", "16", "32", "64"})
  public int batch;

  /** {@code astronaut-512} or {@code composite-1080p}, see {@link BenchInputs}. */
  @Param({"astronaut-512"})
  public String frame;

  private List<Frame> frames;

  @Setup(Level.Trial)
  public void setUp() {
    openDetector(batch);
    frames = BenchInputs.repeat(BenchInputs.frame(frame, image), batch);
  }

  @Benchmark
  public DetectionBatch detect(ImageCounter counter) {
    return counted(detector.detect(frames), counter, batch);
  }

  @Override
  String label() {
    return "frames " + frame + " batch " + batch;
  }
}
