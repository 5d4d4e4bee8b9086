package org.framecodec.transport;

/**
 * The inference service answered with a status other than 200. Carries the status and the start
 * of the response body (at most {@link #MAX_EXCERPT_CHARS} characters, decoded as UTF-8), which
 * is where services put their error text.
 */
public class InferenceHttpException extends TransportException {
  private static final long serialVersionUID = 1L;
  /** Most characters of the error body kept, so a huge error page cannot flood logs. */
  public static final int MAX_EXCERPT_CHARS = 512;

  private final int statusCode;
  private final String bodyExcerpt;

  public InferenceHttpException(String uri, int statusCode, String bodyExcerpt) {
    super("inference service " + uri + " answered HTTP " + statusCode
        + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt));
    this.statusCode = statusCode;
    this.bodyExcerpt = bodyExcerpt;
  }

  /** The HTTP status code the service sent. */
  public int statusCode() {
    return statusCode;
  }

  /** The start of the response body, possibly empty. */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
