package org.framecodec.detect;

import org.framecodec.FrameCodecException;

/**
 * A detector that cannot be opened or run: a model file that is missing, unreadable or not ONNX,
 * a model OpenCV cannot execute, or a failure inside the inference engine.
 *
 * <p>The root of the detector's own exceptions; {@link ModelMismatchException} and
 * {@link GpuUnavailableException} tell apart the two failures a caller may want to handle.
 * Bad arguments (an empty batch, a planar frame) raise {@link IllegalArgumentException}, and bad
 * JPEG payloads the usual {@link org.framecodec.FrameFormatException} family. Unchecked, like the
 * rest of FrameCodec; the message names the file or value at fault.
 */
public class DetectorException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public DetectorException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public DetectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
