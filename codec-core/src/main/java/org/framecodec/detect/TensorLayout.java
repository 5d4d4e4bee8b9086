package org.framecodec.detect;

/** How a batch of images is laid out in a model's float input tensor. */
public enum TensorLayout {
  /** {@code [N, C, H, W]}: one plane per channel (PyTorch exports, YOLOv5). */
  NCHW,
  /** {@code [N, H, W, C]}: channels interleaved per pixel (TensorFlow exports, BlazeFace). */
  NHWC
}
