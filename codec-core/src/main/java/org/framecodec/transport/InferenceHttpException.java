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

  /** The HTTP status code the service sent. */
  private final int statusCode;
  /** The start of the response body, possibly empty. */
  private final String bodyExcerpt;

  /**
   * Creates the exception for a response with an error status.
   *
   * @param uri the endpoint that answered
   * @param statusCode the HTTP status code
   * @param bodyExcerpt the start of the response body, possibly empty
   */
  public InferenceHttpException(String uri, int statusCode, String bodyExcerpt) {
    super("inference service " + uri + " answered HTTP " + statusCode
        + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt));
    this.statusCode = statusCode;
    this.bodyExcerpt = bodyExcerpt;
  }

  /** {@return the HTTP status code the service sent} */
  public int statusCode() {
    return statusCode;
  }

  /** {@return the start of the response body, possibly empty} */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
