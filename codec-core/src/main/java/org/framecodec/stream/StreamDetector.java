package org.framecodec.stream;

import java.util.List;
import java.util.Objects;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.transport.InferenceClient;
import org.framecodec.wire.Framing;

/**
 * What a {@link StreamPipeline} asks for detections: a batch of JPEG payloads in, each payload's
 * detections out, in the same order and in the payload's own pixel coordinates. Either a {@link
 * Detector} in this process ({@link #local}) or an inference service over HTTP ({@link #remote}),
 * the source document's split between the stream team and the AI team.
 *
 * <p>The pipeline calls it from one thread only (the batcher's consumer), one batch at a time, so
 * an implementation need not be thread-safe. It borrows what it wraps: closing the pipeline does
 * not close the detector or the client.
 */
@FunctionalInterface
public interface StreamDetector {

  /**
   * Detects objects in each frame.
   *
   * @param frames JPEG payloads tagged with stream id, frame number and pts
   * @return the detections of each frame, in order; exactly {@code frames.size()} lists
   * @throws org.framecodec.FrameCodecException when the batch cannot be analysed; the pipeline
   *     then treats every frame of the batch as not analysed (see {@link StreamPipeline})
   */
  List<List<Detection>> detect(List<EncodedFrame> frames);

  /**
   * {@return a detector in this process, called with {@link Detector#detectEncoded}}
   *
   * @param detector the detector, borrowed
   */
  static StreamDetector local(Detector detector) {
    Objects.requireNonNull(detector, "detector");
    return new StreamDetector() {
      @Override
      public List<List<Detection>> detect(List<EncodedFrame> frames) {
        return detector.detectEncoded(frames).all();
      }

      @Override
      public String toString() {
        return "local " + detector.info();
      }
    };
  }

  /**
   * An inference service behind {@code client} (our receiver or the Python peer), one POST per
   * batch in {@code framing} ({@link Framing#RAW} is the smallest; {@link Framing#JSON} is what the
   * Python peer's recipe speaks). The client's request timeout is the deadline of each batch.
   *
   * @param client the service's client
   * @param framing how batches are sent
   * @return the remote detector
   */
  static StreamDetector remote(InferenceClient client, Framing framing) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(framing, "framing");
    return new StreamDetector() {
      @Override
      public List<List<Detection>> detect(List<EncodedFrame> frames) {
        return client.detectBatch(framing, frames).detections();
      }

      @Override
      public String toString() {
        return "remote " + client.endpoint() + " (" + framing + ")";
      }
    };
  }
}
