package org.framecodec;

/**
 * A failure inside a codec engine (libjpeg-turbo or OpenCV) that is not explained by bad input:
 * an engine that cannot be loaded or initialised, or an error while compressing a valid frame.
 */
public class NativeCodecException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public NativeCodecException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public NativeCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
