package org.framecodec.stream;

/** The steps a frame goes through in a {@link StreamPipeline}, in order, as {@link StageStats} names them. */
public enum Stage {
  /** Demux, decode and convert to BGR (FFmpeg). For a network source this includes waiting for data. */
  DECODE("demux/decode"),
  /** Encode the BGR frame to the detector's JPEG payload. */
  ENCODE("encode to payload"),
  /** Wait in the shared batcher from submit until the batch is handed to the detector. */
  BATCH("batch wait"),
  /** The detector's call, divided among the frames of the batch. */
  DETECT("detect"),
  /** Draw boxes, scores and keypoints on the frame. */
  DRAW("draw"),
  /** Convert to YUV, H.264-encode and mux (FFmpeg). */
  SINK("H.264 encode + mux");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  /** {@return a short human name, e.g. {@code "H.264 encode + mux"}} */
  public String label() {
    return label;
  }
}
