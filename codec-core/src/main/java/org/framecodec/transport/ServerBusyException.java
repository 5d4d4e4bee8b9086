package org.framecodec.transport;

/**
 * The server cannot take a request now but may later: its queue or a process-wide budget is
 * full, or it is shutting down. Answered with 503 and {@code Retry-After}; an {@link Endpoint}
 * throws it to say the same.
 */
public class ServerBusyException extends TransportException {
  private static final long serialVersionUID = 1L;

  /**
   * A busy server.
   *
   * @param message what is full, for the client
   */
  public ServerBusyException(String message) {
    super(message);
  }
}
