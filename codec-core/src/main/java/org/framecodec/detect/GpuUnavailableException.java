package org.framecodec.detect;

/**
 * A GPU was required ({@link DetectorOptions.Builder#requireGpu(boolean)}) but cannot be used: no
 * CUDA device is visible, the OpenCV natives on the classpath were built without CUDA, or the
 * model failed its first forward pass on the GPU. The message says which.
 */
public class GpuUnavailableException extends DetectorException {
  private static final long serialVersionUID = 1L;

  public GpuUnavailableException(String message) {
    super(message);
  }

  public GpuUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
