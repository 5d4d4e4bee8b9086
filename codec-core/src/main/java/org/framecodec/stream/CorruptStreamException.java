package org.framecodec.stream;

import org.framecodec.CorruptPayloadException;

/**
 * An input that is damaged beyond the decoder's concealment: its container header cannot be
 * parsed, or too many packets in a row fail to decode ({@link SourceOptions#maxConsecutiveDecodeErrors()}).
 * Isolated bad packets are not this: they are skipped and counted in {@link
 * StreamStats#decodeErrors()}.
 */
public class CorruptStreamException extends CorruptPayloadException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   */
  public CorruptStreamException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   * @param cause the underlying failure
   */
  public CorruptStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
