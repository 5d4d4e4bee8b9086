package org.framecodec.transport;

/**
 * One route of an {@link InferenceServer}: turns a request whose body has been read in full into
 * a response. Added with {@link InferenceServer.Builder#route}; {@code POST /detect} is one.
 *
 * <p>What the server has done before calling it, for every route alike: the connection passed the
 * connection caps and (with TLS) the handshake, the headers arrived within the header timeout,
 * the bearer token matched (when one is set), the body was within the body limit and arrived
 * fast enough, and a worker was free or the request fit the bounded queue. So an endpoint only
 * reads {@link ServerRequest#body()} and answers.
 *
 * <p>It runs on one of the server's worker threads and may block (on a detector, say). It answers
 * a bad request by throwing: the {@link org.framecodec.FrameFormatException} family becomes 400
 * ({@link org.framecodec.CorruptPayloadException}), 413
 * ({@link org.framecodec.PayloadTooLargeException}) or 415
 * ({@link org.framecodec.UnsupportedPayloadException}), a {@link ServerBusyException} 503 with
 * {@code Retry-After}, an {@link IllegalArgumentException} 400, any other exception 500, and an
 * {@link Error} (out of memory included) 503; the message is the body, and the server goes on
 * serving. Must be thread-safe when the server has more than one worker.
 */
@FunctionalInterface
public interface Endpoint {
  /**
   * Answers one request.
   *
   * @param request the request; its body is valid only until this returns
   * @return the response
   * @throws Exception to answer with an error status, as the interface comment maps them
   */
  ServerResponse handle(ServerRequest request) throws Exception;
}
