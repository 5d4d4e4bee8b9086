package org.framecodec.detect;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.frames.Frame;

/**
 * Runs an object detector on batches of frames, or of JPEG payloads it decodes itself, and
 * returns each frame's detections in that frame's own pixel coordinates.
 *
 * <p>A call goes through four stages, each timed in {@link DetectionBatch#timings()}:
 *
 * <ol>
 *   <li><b>decode</b> (payloads only): each JPEG is decoded on a worker thread at the coarsest
 *       {@link org.framecodec.codec.DecodeScale} that still covers the model's input (1080p
 *       decodes at 1/8 for a 128x128 model), in the channel order the model wants;
 *   <li><b>pre-process</b>: on the same thread, the image is resized or letterboxed to the model
 *       input, reordered, normalised and written straight into its slot of the batch tensor
 *       ({@link InputSpec}), in one native pass;
 *   <li><b>inference</b>: one forward pass per {@link DetectorInfo#maxBatch()} frames, or one per
 *       frame for a model fixed at batch 1, on the detector's inference thread;
 *   <li><b>post-process</b>: on the workers, the {@link OutputHead} decodes candidates, boxes are
 *       mapped back through the letterbox and clipped, then score threshold and per-class NMS
 *       ({@link Nms}).
 * </ol>
 *
 * <p>The stages are pipelined: while the model runs one batch, the workers fill the next and
 * post-process the last. A batch larger than {@code maxBatch} is cut into chunks that flow
 * through the pipeline one behind the other, and the asynchronous calls let a caller keep several
 * batches in flight. {@link DetectorOptions.Builder#decodeThreads(int)} sets the number of
 * workers (0 runs every stage on the calling thread).
 *
 * <p>Frames may differ in size within a batch; they must be BGR, RGB or GRAY (planar I420/NV12
 * frames are rejected: convert them first). The detector reads the frames during the call and
 * keeps no reference to them or to the payloads afterwards.
 *
 * <p><b>Thread-safe.</b> Any number of threads may call a detector at once; their batches share
 * the workers and the model and complete independently. A submit blocks while the pipeline is
 * full (three chunks in flight), which bounds memory. {@link #close()} lets submitted batches
 * finish, then stops the threads and frees the native memory; it is idempotent, and any later
 * call throws {@link IllegalStateException}.
 */
public interface Detector extends AutoCloseable {

  /**
   * Loads the model and makes it ready: chooses the device, runs a forward pass at batch 1 (and 2,
   * to confirm a dynamic batch dimension), and binds the head to the outputs it saw.
   *
   * @param options mode, quality and subsampling
   * @return the detector, ready to run; close it
   * @throws DetectorException when the model file is missing or unreadable, is not ONNX, or
   *     OpenCV cannot run it; {@link ModelMismatchException} when its outputs do not fit the
   *     head; {@link GpuUnavailableException} when a GPU is required and cannot be used
   */
  static Detector open(DetectorOptions options) {
    return DetectorLoader.open(options);
  }

  /** {@return what this detector resolved at open time: input, NMS, device, batching} */
  DetectorInfo info();

  /**
   * Detects objects in each frame.
   *
   * @param frames the frames, in order
   * @return per frame, its detections, and the stage timings
   * @throws IllegalArgumentException when {@code frames} is empty or holds null or planar frames
   */
  DetectionBatch detect(List<Frame> frames);

  /**
   * Detects objects in one frame; its detections, best first.
   *
   * @param frame the frame
   * @return its detections, best first
   */
  default List<Detection> detect(Frame frame) {
    return detect(List.of(frame)).get(0);
  }

  /**
   * Decodes each encoded frame, in its own {@link org.framecodec.codec.JpegMode}, and detects
   * objects in it. Checked against the options' {@link org.framecodec.Limits} like any untrusted
   * payload, and each frame's declared shape against its JPEG header.
   *
   * @param frames the frames, in order
   * @return per frame, its detections, and the stage timings
   * @throws IllegalArgumentException when {@code frames} is empty
   * @throws org.framecodec.FrameFormatException when a payload is corrupt, too large or lies
   *     about its shape; no partial result is returned
   */
  DetectionBatch detectEncoded(List<EncodedFrame> frames);

  /**
   * {@link #detect(List)} without waiting: the future completes with the detections, or
   * exceptionally with the exception {@code detect} would throw. Blocks only while the pipeline
   * is full. The frames must not change until the future completes.
   *
   * @param frames the frames, BGR, RGB or GRAY
   * @return the detections of every frame, in input order, when they are done
   */
  CompletableFuture<DetectionBatch> detectAsync(List<Frame> frames);

  /**
   * {@link #detectEncoded(List)} without waiting: the future completes with the detections, or
   * exceptionally with the exception {@code detectEncoded} would throw (a bad payload fails its
   * whole batch). Blocks only while the pipeline is full. The payloads must not change until the
   * future completes.
   *
   * @param frames the encoded frames, in any mix of modes
   * @return the detections of every frame, in input order, when they are done
   */
  CompletableFuture<DetectionBatch> detectEncodedAsync(List<EncodedFrame> frames);

  /** Frees the network and native memory; idempotent. */
  @Override
  void close();
}
