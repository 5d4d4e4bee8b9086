package org.framecodec.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.framecodec.detect.DetectorInfo;
import org.framecodec.detect.DetectorListener;
import org.framecodec.detect.StageTimings;

/**
 * Meters of one {@link org.framecodec.detect.Detector}, tagged {@code detector=NAME}, {@code
 * model} (the model's file name), {@code target} ({@code cpu}, {@code cuda}, {@code cuda_fp16})
 * and {@code device} ({@code cpu} or {@code gpu}):
 *
 * <table>
 *   <caption>Detector meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code framecodec.detector.images}</td><td>counter</td><td></td><td>frames detected in (its rate is images/s)</td></tr>
 *   <tr><td>{@code framecodec.detector.batches}</td><td>timer, histogram</td><td></td><td>calls and their wall time</td></tr>
 *   <tr><td>{@code framecodec.detector.stage}</td><td>timer</td><td>{@code stage}</td><td>time per call in {@code decode}, {@code preprocess}, {@code inference}, {@code postprocess}</td></tr>
 *   <tr><td>{@code framecodec.detector.errors}</td><td>counter</td><td>{@code error}</td><td>calls that threw, by exception class</td></tr>
 * </table>
 *
 * <p>A {@link DetectorListener}: wrap the detector with {@link
 * org.framecodec.detect.ObservedDetector#wrap} (as {@link FrameCodecMetrics#bind(
 * org.framecodec.detect.Detector, String)} does), or have a detector call it. Records nothing
 * until {@link #bindTo}; {@link #close()} removes the meters. Thread-safe.
 */
public final class DetectorMetrics implements MeterBinder, DetectorListener, AutoCloseable {
  private final Tags tags;
  private final BoundMeters meters = new BoundMeters();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private Counter images;
  private Timer batches;
  private Timer decode;
  private Timer preprocess;
  private Timer inference;
  private Timer postprocess;

  /**
   * Meters for the detector described by {@code info}, tagged as the class comment says.
   *
   * @param info the detector's {@link org.framecodec.detect.Detector#info()}
   * @param name the {@code detector} tag's value
   * @param extraTags more tags for every meter
   */
  public DetectorMetrics(DetectorInfo info, String name, Iterable<Tag> extraTags) {
    Objects.requireNonNull(info, "info");
    Path model = info.model().getFileName();
    this.tags = Tags.of(extraTags).and("detector", Objects.requireNonNull(name, "name"),
        "model", model == null ? info.model().toString() : model.toString(),
        "target", info.target().targetName(), "device", info.target().isGpu() ? "gpu" : "cpu");
  }

  @Override
  public void bindTo(MeterRegistry target) {
    meters.bindTo(target, "DetectorMetrics");
    images = meters.add(Counter.builder("framecodec.detector.images")
        .description("Frames the detector ran on").tags(tags).register(target));
    batches = meters.add(Timer.builder("framecodec.detector.batches")
        .description("Detector calls and their wall time").tags(tags).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(target));
    decode = stage(target, "decode");
    preprocess = stage(target, "preprocess");
    inference = stage(target, "inference");
    postprocess = stage(target, "postprocess");
    registry = target;
  }

  private Timer stage(MeterRegistry target, String stage) {
    return meters.add(Timer.builder("framecodec.detector.stage")
        .description("Time per detector call in one stage").tags(tags).tag("stage", stage)
        .register(target));
  }

  @Override
  public void detected(DetectorInfo info, int frames, StageTimings timings) {
    if (registry == null) {
      return;
    }
    images.increment(frames);
    batches.record(timings.totalNanos(), TimeUnit.NANOSECONDS);
    if (timings.decodeNanos() > 0) {
      decode.record(timings.decodeNanos(), TimeUnit.NANOSECONDS);
    }
    preprocess.record(timings.preprocessNanos(), TimeUnit.NANOSECONDS);
    inference.record(timings.inferenceNanos(), TimeUnit.NANOSECONDS);
    postprocess.record(timings.postprocessNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed(DetectorInfo info, int frames, long nanos, RuntimeException error) {
    MeterRegistry target = registry;
    if (target == null) {
      return;
    }
    errors.computeIfAbsent(error.getClass().getSimpleName(), type -> meters.add(
        Counter.builder("framecodec.detector.errors").description("Detector calls that threw")
            .tags(tags).tag("error", type).register(target))).increment();
  }

  /** Removes the meters; the listener then records nothing. Idempotent. */
  @Override
  public void close() {
    registry = null;
    errors.clear();
    meters.remove();
  }
}
