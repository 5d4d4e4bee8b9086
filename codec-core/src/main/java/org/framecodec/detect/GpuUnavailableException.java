package org.framecodec.detect;

/**
 * A GPU was required ({@link DetectorOptions.Builder#requireGpu(boolean)}) but cannot be used: no
 * CUDA device is visible, the OpenCV natives on the classpath were built without CUDA, or the
 * model failed its first forward pass on the GPU. The message says which.
 */
public class GpuUnavailableException extends DetectorException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public GpuUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public GpuUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
