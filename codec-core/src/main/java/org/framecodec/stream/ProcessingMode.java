package org.framecodec.stream;

/**
 * What a {@link StreamPipeline} does when processing cannot keep up with its sources.
 */
public enum ProcessingMode {
  /**
   * A live source cannot wait: when a stream already has {@link
   * PipelineOptions#maxFramesInFlight()} frames in the pipeline, its oldest frame that has not
   * reached the detector is dropped to make room for the new one (the newest wins), and counted
   * in {@link StreamStats#dropped()}; frames already in the detector are kept, since their
   * results are on the way. A frame that is already that many frame periods late when it is
   * decoded (the reader itself fell behind) is dropped before it is converted or encoded. Latency
   * stays bounded by that many frames plus one batch.
   * Files are read at the pace of their timestamps, like a camera.
   */
  LIVE,
  /**
   * Every frame is processed and written, none is dropped: when the pipeline is full the reader
   * waits (backpressure). Files are read as fast as the pipeline takes them.
   */
  FILE
}
