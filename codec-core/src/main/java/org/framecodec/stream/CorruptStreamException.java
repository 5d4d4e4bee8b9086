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

  public CorruptStreamException(String message) {
    super(message);
  }

  public CorruptStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
