package org.framecodec;

/**
 * A failure inside a codec engine (libjpeg-turbo or OpenCV) that is not explained by bad input:
 * an engine that cannot be loaded or initialised, or an error while compressing a valid frame.
 */
public class NativeCodecException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  public NativeCodecException(String message) {
    super(message);
  }

  public NativeCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
