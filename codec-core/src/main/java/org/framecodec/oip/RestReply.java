package org.framecodec.oip;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link OipService#handleRest} answers: an HTTP status, content type, body and extra
 * headers (such as {@code Inference-Header-Content-Length}), for whatever HTTP server carries it.
 * Immutable; the body array is handed over, not copied.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}; empty for an empty body
 * @param body the whole body
 * @param headers extra headers
 */
public record RestReply(int status, String contentType, byte[] body, Map<String, String> headers) {
  /**
   * Copies the headers; every argument is required.
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type}; empty for an empty body
   * @param body the whole body, not copied
   * @param headers extra headers
   */
  public RestReply {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }
}
