package org.framecodec.stream;

/**
 * A source delivered nothing for longer than its read timeout ({@link
 * SourceOptions#readTimeout()}), or took longer than {@link SourceOptions#openTimeout()} to open.
 * A network source treats it as a lost connection and reconnects under its {@link
 * ReconnectPolicy}; this is then the cause of the {@link SourceUnavailableException} raised when
 * the policy gives up.
 */
public class SourceTimeoutException extends StreamException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   */
  public SourceTimeoutException(String message) {
    super(message);
  }
}
