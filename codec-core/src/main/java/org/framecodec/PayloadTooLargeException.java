package org.framecodec;

/**
 * Input that declares more than a configured {@link Limits limit} allows (pixels, bytes, frames,
 * nesting). Thrown from the declared size, before anything of that size is allocated.
 */
public class PayloadTooLargeException extends FrameFormatException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public PayloadTooLargeException(String message) {
    super(message);
  }
}
