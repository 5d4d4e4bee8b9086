package org.framecodec.transport;

/**
 * A batch could not be sent to, or answered by, an inference service: the connection failed or
 * timed out, the service answered with an error status ({@link InferenceHttpException}), or its
 * answer was not a valid detections document ({@link MalformedResponseException}).
 *
 * <p>Unchecked, like the rest of the library's failures; a caller that retries should catch this
 * type and look at the subclass or the cause ({@link java.net.http.HttpTimeoutException} for a
 * timeout, {@link java.net.ConnectException} for a refused connection).
 */
public class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
