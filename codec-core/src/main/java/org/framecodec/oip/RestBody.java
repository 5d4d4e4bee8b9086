package org.framecodec.oip;

import java.util.Objects;

/**
 * A REST body of the Open Inference Protocol as it goes on the wire: the JSON header, then the
 * binary data of each binary tensor in order.
 * <pre>
 *   0                     headerLength                                   body.length
 *   +---------------------+------------------+------------------+-- ... --+
 *   | JSON (UTF-8)        | tensor 0 binary  | tensor 1 binary  |   ...   |
 *   +---------------------+------------------+------------------+-- ... --+
 *                           binary_data_size   binary_data_size
 * </pre>
 * With binary data, the HTTP message needs {@code Inference-Header-Content-Length: headerLength}
 * and {@code Content-Type: application/octet-stream}; without, the body is plain JSON and the
 * header is left out ({@link #headerLength()} is -1).
 *
 * @param body the whole body; owned by whoever made this record, not copied
 * @param headerLength bytes of JSON at the start, or -1 when the body is JSON only
 */
public record RestBody(byte[] body, int headerLength) {
  /** The HTTP header that gives the JSON length. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /**
   * Checks that the header length is -1 or within the body.
   *
   * @param body the whole body, not copied
   * @param headerLength bytes of JSON at the start, or -1 when the body is JSON only
   */
  public RestBody {
    Objects.requireNonNull(body, "body");
    if (headerLength < -1 || headerLength > body.length) {
      throw new IllegalArgumentException("header length " + headerLength + " is outside a body of "
          + body.length + " bytes");
    }
  }

  /** {@return whether binary data follows the JSON} */
  public boolean hasBinary() {
    return headerLength >= 0;
  }

  /** {@return {@code application/octet-stream} with binary data, else {@code application/json}} */
  public String contentType() {
    return hasBinary() ? "application/octet-stream" : "application/json";
  }
}
