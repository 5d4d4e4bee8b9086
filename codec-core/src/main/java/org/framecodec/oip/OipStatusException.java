package org.framecodec.oip;

import org.framecodec.transport.TransportException;

/**
 * An inference server answered a call of the Open Inference Protocol with an error: a REST status
 * other than 200 (its {@code {"error": "..."}} body is the {@link #serverMessage()}), or a gRPC
 * status other than OK (its description is the message). Part of the {@link
 * org.framecodec.FrameCodecException} family through {@link TransportException}.
 *
 * <p>{@link #httpStatus()} is the REST status; for gRPC it is the status the protocol's REST side
 * would have given ({@code INVALID_ARGUMENT} 400, {@code NOT_FOUND} 404, {@code
 * RESOURCE_EXHAUSTED} 413, {@code UNAVAILABLE} 503, {@code UNIMPLEMENTED} 501, {@code
 * UNAUTHENTICATED} 401, {@code PERMISSION_DENIED} 403, others 500), so callers can branch on one
 * number whichever protocol they use.
 */
public class OipStatusException extends TransportException {
  private static final long serialVersionUID = 1L;
  /** Most characters of a server's message kept, so a huge error page cannot flood logs. */
  public static final int MAX_MESSAGE_CHARS = 512;

  /** The HTTP status, or the REST equivalent of the gRPC status. */
  private final int httpStatus;
  /** The gRPC status code name, or null for REST. */
  private final String grpcCode;
  /** What the server said, clipped. */
  private final String serverMessage;

  /**
   * An error answer.
   *
   * @param where the call and server, e.g. {@code POST http://host/v2/models/m/infer}
   * @param httpStatus the HTTP status, or for gRPC its REST equivalent
   * @param grpcCode the gRPC status code name, or null for REST
   * @param serverMessage what the server said, or null
   */
  public OipStatusException(String where, int httpStatus, String grpcCode, String serverMessage) {
    super(where + " answered " + (grpcCode != null ? "gRPC " + grpcCode : "HTTP " + httpStatus)
        + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + clip(serverMessage)));
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
    this.serverMessage = serverMessage == null ? "" : clip(serverMessage);
  }

  private static String clip(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  /** {@return the HTTP status, or for gRPC its REST equivalent (see the class comment)} */
  public int httpStatus() {
    return httpStatus;
  }

  /** {@return the gRPC status code name (e.g. {@code INVALID_ARGUMENT}), or null for REST} */
  public String grpcCode() {
    return grpcCode;
  }

  /** {@return what the server said: the {@code "error"} text, the gRPC description, or the start of a non-JSON body} */
  public String serverMessage() {
    return serverMessage;
  }
}
