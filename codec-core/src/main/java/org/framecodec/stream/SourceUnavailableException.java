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

  private final int attempts;

  public SourceUnavailableException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** Connection attempts made before giving up, at least 1. */
  public int attempts() {
    return attempts;
  }
}
