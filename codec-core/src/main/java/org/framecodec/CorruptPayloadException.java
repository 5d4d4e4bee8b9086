package org.framecodec;

/** Input that is damaged: truncated or corrupt JPEG, invalid base64, malformed JSON, a length that lies, a bad CRC. */
public class CorruptPayloadException extends FrameFormatException {
  private static final long serialVersionUID = 1L;

  public CorruptPayloadException(String message) {
    super(message);
  }

  public CorruptPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
