package org.framecodec.transport;

import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;

/**
 * The one mapping from what an {@link Endpoint} throws to what the client hears (see
 * {@link Endpoint} for the table). {@link Error}s, out of memory included, stop here: the client
 * gets 503 with the error named, and the server thread goes on. Stateless.
 */
final class ErrorResponses {
  private static final System.Logger LOG = System.getLogger(InferenceServer.class.getName());

  private ErrorResponses() {}

  static ServerResponse of(Throwable t, ServerRequest request, int retryAfterSeconds) {
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    if (t instanceof PayloadTooLargeException) {
      return ServerResponse.text(413, m);
    }
    if (t instanceof UnsupportedPayloadException) {
      return ServerResponse.text(415, m);
    }
    if (t instanceof CorruptPayloadException || t instanceof FrameFormatException
        || t instanceof IllegalArgumentException) {
      return ServerResponse.text(400, m);
    }
    if (t instanceof ServerBusyException) {
      return busy(m, retryAfterSeconds);
    }
    if (t instanceof Error) {
      LOG.log(System.Logger.Level.ERROR, "endpoint failed with an error on " + request
          + "; answered 503 and serving on", t);
      return busy("server error while handling the request: " + t + "; the server is still"
          + " serving, retry", retryAfterSeconds);
    }
    LOG.log(System.Logger.Level.WARNING, "endpoint failed on " + request, t);
    return ServerResponse.text(500, "the endpoint failed: " + t);
  }

  static ServerResponse busy(String message, int retryAfterSeconds) {
    return ServerResponse.text(503, message).withHeader("Retry-After", String.valueOf(retryAfterSeconds));
  }
}
