package org.framecodec.transport;

import java.net.http.HttpResponse;
import java.util.Objects;
import org.framecodec.PayloadTooLargeException;

/**
 * Response-body handlers for {@link java.net.http.HttpClient} that never hold more than a limit.
 * FrameCodec's HTTP clients ({@link InferenceClient}, {@code org.framecodec.oip.OipClient}) read
 * every body through one, so a server that sends an endless or huge body costs at most the
 * limit: the body is counted while it streams and the exchange is cancelled (the client drops
 * the connection) as soon as it passes the limit.
 *
 * <p>Each handler makes a new subscriber per response; the body is collected into one array,
 * presized from {@code Content-Length} when that is within the limit (a hint, never trusted for
 * the limit), and owned by the caller once the response completes. Stateless and thread-safe.
 */
public final class HttpBodies {
  private HttpBodies() {}

  /**
   * A handler that fails a body longer than {@code maxBytes} with a {@link
   * PayloadTooLargeException} carrying {@code tooLargeMessage}.
   *
   * @param maxBytes the most bytes a body may have, positive
   * @param tooLargeMessage the exception's message; it should name the response and the limit
   * @return the handler
   * @throws IllegalArgumentException when {@code maxBytes} is not positive
   */
  public static HttpResponse.BodyHandler<byte[]> capped(int maxBytes, String tooLargeMessage) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    Objects.requireNonNull(tooLargeMessage, "tooLargeMessage");
    return info -> new CappedBodySubscriber(maxBytes, false, tooLargeMessage, info);
  }
}
