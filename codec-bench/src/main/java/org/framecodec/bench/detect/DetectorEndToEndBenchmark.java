package org.framecodec.bench.detect;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * End to end from the wire: JPEG payloads in, detections out, images per second, for the three
 * ways the detector can work, side by side in one run:
 *
 * <ul>
 *   <li>{@code full-serial}: the structure before issue 12: every payload decoded at full size,
 *       then resized into the tensor, then the model, all on the calling thread
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
 * call ({@code gc.alloc.rate.norm}). Run:
 *
 * <pre>
 * java -jar codec-bench/target/codec-bench.jar jmh DetectorEndToEndBenchmark -prof gc
 * </pre>
 */
public class DetectorEndToEndBenchmark extends DetectorBenchmark {
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

  private List<EncodedFrame> payloads;
  private final ArrayDeque<CompletableFuture<DetectionBatch>> inFlight = new ArrayDeque<>();

  @Setup(Level.Trial)
  public void setUp() {
    boolean serial = path.endsWith("-serial");
    openDetector(batch, b -> b.decodeThreads(serial ? 0 : Runtime.getRuntime().availableProcessors())
        .scaledDecode(!path.startsWith("full")));
    Frame f = BenchInputs.frame(frame, image);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      payloads = BenchInputs.payloads(codec, f, EncodeOptions.of(JpegMode.fromWireName(mode), quality), batch);
    }
    System.out.println("payload " + payloads.get(0).payloadLength()
        + " bytes (" + frame + ", " + mode + " q" + quality + ", " + path + ")");
  }

  /** One batch through: submitted, and (pipelined) the oldest of those in flight collected. */
  @Benchmark
  public DetectionBatch detectEncoded(ImageCounter counter) {
    if (!path.endsWith("-pipelined")) {
      return counted(detector.detectEncoded(payloads), counter, batch);
    }
    inFlight.add(detector.detectEncodedAsync(payloads));
    return inFlight.size() < IN_FLIGHT ? null : counted(inFlight.poll().join(), counter, batch);
  }

  @Override
  void drain() {
    while (!inFlight.isEmpty()) {
      inFlight.poll().join();
    }
  }

  @Override
  String label() {
    return frame + " " + mode + " q" + quality + " batch " + batch + " " + path;
  }
}
