package org.framecodec.detect;

import java.util.Locale;

/** Where the caller asks a {@link Detector} to run; {@link DetectorInfo#target()} says where it did. */
public enum DnnDevice {
  /** CUDA (fp32) when a CUDA device is visible and the GPU natives are loaded, else CPU. */
  AUTO,
  /** OpenCV's own CPU backend. */
  CPU,
  /** OpenCV's CUDA backend, fp32. */
  CUDA,
  /** OpenCV's CUDA backend, fp16 (measured slower than fp32 for BlazeFace on an H100, see docs/detector.md). */
  CUDA_FP16;

  /**
   * Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda_fp16} (case-insensitive, '-' for
   * '_').
   *
   * @param name the name to parse
   * @return the device
   */
  public static DnnDevice parse(String name) {
    if (name != null) {
      String n = name.toUpperCase(Locale.ROOT).replace('-', '_');
      for (DnnDevice d : values()) {
        if (d.name().equals(n)) {
          return d;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown device '" + name + "'; expected auto, cpu, cuda or cuda_fp16");
  }

  /** {@return true for the CUDA devices} */
  public boolean isGpu() {
    return this == CUDA || this == CUDA_FP16;
  }
}
