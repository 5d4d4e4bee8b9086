package org.framecodec.transport;

import org.framecodec.FrameCodecException;

/**
 * A batch could not be sent to, or answered by, an inference service: the connection failed or
 * timed out, or the service answered with an error status ({@link InferenceHttpException}). An
 * answer that arrives but is not a valid detections document is bad input, not a transport
 * failure: it raises {@link org.framecodec.CorruptPayloadException} (or
 * {@link org.framecodec.PayloadTooLargeException} when it is over the size limit).
 *
 * <p>Part of the {@link FrameCodecException} family; a caller that retries should catch this
 * type and look at the subclass or the cause ({@link java.net.http.HttpTimeoutException} for a
 * timeout, {@link java.net.ConnectException} for a refused connection).
 */
public class TransportException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public TransportException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
