package org.framecodec.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request as an {@link Endpoint} sees it: method, path, query, headers and the whole body.
 *
 * <p>The body is a view of a pooled array that the server reuses once the endpoint returns: read
 * it during {@link Endpoint#handle} only, and copy what must outlive the call. Immutable view
 * otherwise; do not write into the array.
 */
public final class ServerRequest {
  private final String method;
  private final String path;
  private final String query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final int bodyLength;
  private final InetSocketAddress remote;

  ServerRequest(String method, String path, String query, Map<String, List<String>> headers,
      byte[] body, int bodyLength, InetSocketAddress remote) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.bodyLength = bodyLength;
    this.remote = remote;
  }

  /** {@return the method: {@code GET}, {@code POST}, ...} */
  public String method() {
    return method;
  }

  /** {@return the decoded path, without the query} */
  public String path() {
    return path;
  }

  /** {@return the raw query string, or an empty one} */
  public String query() {
    return query;
  }

  /**
   * The first value of a header.
   *
   * @param name the header's name, in any case
   * @return its first value, or null when the request has none
   */
  public String header(String name) {
    List<String> values = headers.get(Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** {@return the body's array: bytes {@code [0, bodyLength())} are the body; see the class comment} */
  public byte[] bodyArray() {
    return body;
  }

  /** {@return the body's length in bytes} */
  public int bodyLength() {
    return bodyLength;
  }

  /** {@return the body as a read-only buffer over the same memory} */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body, 0, bodyLength).asReadOnlyBuffer();
  }

  /** {@return the client's address} */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " (" + bodyLength
        + " bytes from " + remote + ")";
  }
}
