package org.framecodec.detect;

/**
 * The OpenCV DNN backend and target a {@link Detector} actually runs on. OpenCV may still run a
 * layer its CUDA backend lacks on the CPU; the target is what the network was configured and
 * verified (by a forward pass) to run on.
 */
public enum DnnTarget {
  /** {@code DNN_BACKEND_OPENCV} on {@code DNN_TARGET_CPU}. */
  CPU("opencv", "cpu"),
  /** {@code DNN_BACKEND_CUDA} on {@code DNN_TARGET_CUDA}. */
  CUDA("cuda", "cuda"),
  /** {@code DNN_BACKEND_CUDA} on {@code DNN_TARGET_CUDA_FP16}. */
  CUDA_FP16("cuda", "cuda_fp16");

  private final String backendName;
  private final String targetName;

  DnnTarget(String backendName, String targetName) {
    this.backendName = backendName;
    this.targetName = targetName;
  }

  /** {@return the DNN backend: {@code opencv} or {@code cuda}} */
  public String backendName() {
    return backendName;
  }

  /** {@return the DNN target: {@code cpu}, {@code cuda} or {@code cuda_fp16}} */
  public String targetName() {
    return targetName;
  }

  /** {@return true for the CUDA targets} */
  public boolean isGpu() {
    return this != CPU;
  }

  @Override
  public String toString() {
    return backendName + "/" + targetName;
  }
}
