package org.framecodec.stream;

/**
 * A source cannot be opened, or was lost and did not come back within its {@link
 * ReconnectPolicy}: the URL is unreachable, refused, not found, or the server went away. The
 * cause is the last failure seen (often a {@link SourceTimeoutException} or a {@link
 * StreamException} carrying FFmpeg's error text); {@link #attempts()} says how many connections
 * were tried.
 */
public class SourceUnavailableException extends StreamException {
  private static final long serialVersionUID = 1L;

  /** Connection attempts made before giving up. */
  private final int attempts;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the URL
   * @param attempts connection attempts made, at least 1
   * @param cause the last failure seen
   */
  public SourceUnavailableException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** {@return the connection attempts made before giving up, at least 1} */
  public int attempts() {
    return attempts;
  }
}
