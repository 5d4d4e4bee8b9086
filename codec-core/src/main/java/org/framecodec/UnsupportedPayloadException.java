package org.framecodec;

/** Well-formed input this library does not handle: an unknown container version, mode or sample layout. */
public class UnsupportedPayloadException extends FrameFormatException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public UnsupportedPayloadException(String message) {
    super(message);
  }
}
