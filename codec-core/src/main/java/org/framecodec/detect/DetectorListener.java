package org.framecodec.detect;

/**
 * Told about every call of a {@link Detector}: the hook a metrics binder (such as {@code
 * org.framecodec.metrics.FrameCodecMetrics}) uses for per-stage times, images per second and
 * errors. {@link ObservedDetector#wrap} attaches one to any detector; a detector implementation
 * may also call one itself, with the same meaning.
 *
 * <p>Called on the thread that called the detector, after the call (for the {@code Async} calls,
 * on the thread that completes the future); keep it short. A detector that takes calls from
 * several threads calls its listener from all of them, so implementations must be thread-safe. An exception it throws propagates to the detector's caller, so do not
 * throw.
 */
public interface DetectorListener {

  /**
   * A call returned detections.
   *
   * @param info the detector's resolved configuration (model, target)
   * @param frames frames in the call
   * @param timings the call's stage timings, as {@link DetectionBatch#timings()}
   */
  void detected(DetectorInfo info, int frames, StageTimings timings);

  /**
   * A call threw.
   *
   * @param info the detector's resolved configuration
   * @param frames frames in the call
   * @param nanos wall time until it threw
   * @param error what it threw
   */
  void failed(DetectorInfo info, int frames, long nanos, RuntimeException error);
}
