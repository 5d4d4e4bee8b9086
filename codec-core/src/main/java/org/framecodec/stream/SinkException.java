package org.framecodec.stream;

/**
 * An output cannot be opened or written: the file cannot be created, the RTMP server refuses the
 * publication or went away, a write stalled past {@link SinkOptions#writeTimeout()}, or the H.264
 * encoder cannot be opened with the given settings. The message names the URL and FFmpeg's error
 * text.
 */
public class SinkException extends StreamException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   */
  public SinkException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   * @param cause the underlying failure
   */
  public SinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
