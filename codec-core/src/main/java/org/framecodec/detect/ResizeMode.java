package org.framecodec.detect;

/** How a frame of any size is fitted to a model's fixed input size. */
public enum ResizeMode {
  /**
   * Scale to fit while keeping the aspect ratio, centre, and pad the rest with the pad value.
   * Objects keep their shape, which detectors trained on undistorted images need.
   */
  LETTERBOX,
  /** Scale each axis independently to fill the input; faster to reason about, distorts shapes. */
  STRETCH
}
