package org.framecodec;

/** Well-formed input this library does not handle: an unknown container version, mode or sample layout. */
public class UnsupportedPayloadException extends FrameFormatException {
  private static final long serialVersionUID = 1L;

  public UnsupportedPayloadException(String message) {
    super(message);
  }
}
