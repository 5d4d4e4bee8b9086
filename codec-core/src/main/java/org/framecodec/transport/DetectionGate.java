package org.framecodec.transport;

import java.util.List;
import java.util.Objects;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorInfo;

/**
 * The receiver's one way to its detector, for every route and port that detects ({@code POST
 * /detect}, the Open Inference Protocol's REST routes and its gRPC port): each request's frames are
 * budgeted from their JPEG headers first (a shape that disagrees is 400, a frame over the pixel,
 * scan or work limits or a request over {@link Limits#maxRequestPixels()} is 413), then their
 * pixels are reserved from the process-wide {@link Limits#maxInFlightPixels()} (a {@link
 * ServerBusyException}, 503, when it is full now: {@link PixelBudgetException}), then the detector runs them, one request at a
 * time. Got from {@link InferenceServer.Builder#detectionGate()}, so routes added to the builder
 * and servers beside it share one budget and one detector. Thread-safe.
 */
public final class DetectionGate {
  private final Detector detector;
  private final Limits limits;
  private final MemoryBudget pixels;
  private final DetectorLane lane;
  private volatile boolean draining;

  DetectionGate(Detector detector, Limits limits) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.pixels = new MemoryBudget("in-flight pixels", limits.maxInFlightPixels());
    this.lane = new DetectorLane(detector);
  }

  /**
   * Budgets, reserves and detects, as the class comment says.
   *
   * @param frames the request's frames, at least one; read during the call only
   * @return per frame, its detections, in order
   * @throws org.framecodec.FrameFormatException when a frame fails a check before decoding, or
   *     cannot be decoded
   * @throws ServerBusyException when the in-flight pixel budget cannot take the request now
   */
  public List<List<Detection>> detect(List<EncodedFrame> frames) {
    // No refusal while draining: requests already in flight run to their answer; the server
    // refuses new ones itself.
    long declared = RequestBudget.check(frames, limits);
    if (!pixels.tryReserve(declared)) {
      throw new PixelBudgetException("the server holds " + pixels.used() + " of its "
          + pixels.capacity() + " in-flight pixels (maxInFlightPixels); this request's "
          + declared + " do not fit now, retry");
    }
    try {
      return lane.detect(frames).all();
    } finally {
      pixels.release(declared);
    }
  }

  /** {@return the limits frames are checked against} */
  public Limits limits() {
    return limits;
  }

  /** {@return what the detector resolved when it opened (model, input, NMS, device)} */
  public DetectorInfo detectorInfo() {
    return detector.info();
  }

  /** {@return false once the server has begun to drain: ready no more} */
  public boolean accepting() {
    return !draining;
  }

  void drain() {
    draining = true;
  }

  Detector detector() {
    return detector;
  }

  MemoryBudget pixels() {
    return pixels;
  }
}
