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
  /** nvJPEG's GPU-hybrid backend: Huffman decoding on the CPU, the rest on the GPU's cores. */
  GPU_HYBRID(2),
  /** nvJPEG's hybrid backend: the CPU does more, for small images. */
  HYBRID(1),
  /**
   * Both GPU decoders at once: the JPEG engines (hardware backend) and, beside them, the
   * GPU-hybrid backend on the GPU's cores, which are separate resources. The GPU-hybrid decoders
   * take only shares of more than 50 payloads, below which nvJPEG decodes their Huffman data on
   * the CPU.
   */
  HARDWARE_AND_GPU_HYBRID(3, 2);

  private final int[] backends;

  GpuDecode(int... backends) {
    this.backends = backends;
  }

  /** nvJPEG's {@code NVJPEG_BACKEND_*} value (the first, for a mode with several). */
  int nvjpegBackend() {
    return backends[0];
  }

  /** nvJPEG's {@code NVJPEG_BACKEND_*} values, one decoder set each. */
  int[] nvjpegBackends() {
    return backends.clone();
  }
}
