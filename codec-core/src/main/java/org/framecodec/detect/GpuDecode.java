package org.framecodec.detect;

/**
 * Whether, and with which nvJPEG backend, a {@link Detector} decodes a share of each batch of
 * payloads on the GPU while its CPU workers decode the rest.
 *
 * <p>{@link #AUTO} (the default) uses the hardware backend when the model itself runs on CUDA and
 * nvJPEG can be started (it needs {@code org.bytedeco:cuda} and the CUDA 13 runtime, nvJPEG and
 * NVRTC libraries); otherwise payloads decode on the CPU and {@link DetectorInfo#gpuDecode()}
 * says why. The named backends require nvJPEG: a detector that cannot start it fails to open with
 * a {@link GpuUnavailableException}.
 */
public enum GpuDecode {
  /** Decode on the CPU only. */
  OFF(-1),
  /** nvJPEG's hardware backend if the model runs on CUDA and nvJPEG starts; else the CPU. */
  AUTO(3),
  /** nvJPEG's hardware backend: the GPU's JPEG engines (A100, H100, H200 and later). */
  HARDWARE(3),
  /**
   * nvJPEG's GPU-hybrid backend: Huffman decoding on the GPU's cores for batches above 50 (below
   * that, on the decoder's thread), for GPUs without JPEG engines. It scales with
   * {@code gpuDecodeStreams} (on the H200, alone: 6,254 images/s with two, about 8,100-8,600
   * with four), but beside the CPU workers it slows the model's forward pass.
   */
  GPU_HYBRID(2),
  /** nvJPEG's hybrid backend: Huffman decoding on the CPU, for small images. */
  HYBRID(1);

  private final int backend;

  GpuDecode(int backend) {
    this.backend = backend;
  }

  /** nvJPEG's {@code NVJPEG_BACKEND_*} value. */
  int nvjpegBackend() {
    return backend;
  }
}
