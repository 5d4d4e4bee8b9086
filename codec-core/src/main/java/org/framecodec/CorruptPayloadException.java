package org.framecodec;

/** Input that is damaged: truncated or corrupt JPEG, invalid base64, malformed JSON, a length that lies, a bad CRC. */
public class CorruptPayloadException extends FrameFormatException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public CorruptPayloadException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public CorruptPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
