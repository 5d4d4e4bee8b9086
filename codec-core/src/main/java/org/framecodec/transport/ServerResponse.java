package org.framecodec.transport;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link Endpoint} answers: status, content type, body and extra headers. The server adds
 * {@code Content-Length} and {@code Connection}. Immutable; the body array is the endpoint's to
 * hand over and is not copied.
 *
 * @param status the HTTP status, 100 to 599
 * @param contentType the {@code Content-Type}
 * @param body the whole body
 * @param headers extra response headers (not {@code Content-Length} or {@code Connection})
 */
public record ServerResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  /**
   * Checks the status and copies the headers.
   *
   * @param status the HTTP status, 100 to 599
   * @param contentType the {@code Content-Type}
   * @param body the whole body
   * @param headers extra response headers
   */
  public ServerResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599, got " + status);
    }
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /**
   * 200 with a JSON body.
   *
   * @param body the JSON document
   * @return the response
   */
  public static ServerResponse json(byte[] body) {
    return new ServerResponse(200, "application/json", body, Map.of());
  }

  /**
   * A one-line {@code text/plain} body, as every error of the server is.
   *
   * @param status the HTTP status
   * @param message the line
   * @return the response
   */
  public static ServerResponse text(int status, String message) {
    return new ServerResponse(status, "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * The same response with one more header.
   *
   * @param name the header's name
   * @param value its value
   * @return a new response
   */
  public ServerResponse withHeader(String name, String value) {
    java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
    h.put(name, value);
    return new ServerResponse(status, contentType, body, h);
  }
}
