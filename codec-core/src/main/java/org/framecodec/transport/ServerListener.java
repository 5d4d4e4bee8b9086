package org.framecodec.transport;

/**
 * Told about every response an {@link InferenceServer} writes and every connection or request it
 * refuses: the hook a metrics binder (such as {@code org.framecodec.metrics.ServerMetrics}) uses
 * for requests by route and status, bytes each way, latency and refusals. What is held now
 * (connections, queued requests, budgets) comes from {@link InferenceServer#stats()} instead.
 *
 * <p>Attach with {@link InferenceServer#addListener}. Called on the server's event-loop threads
 * (and, for {@link RefusalReason#PIXEL_BUDGET} and {@link RefusalReason#ENDPOINT_BUSY}, on its
 * workers), from many threads at once, before the response is handed to the network (so a client
 * that has its answer finds it counted). Implementations must be thread-safe, short and must not
 * block: they delay the connection's event loop. An exception one throws is logged and ignored.
 */
public interface ServerListener {

  /**
   * A response was handed to the network.
   *
   * @param route the route that took the request: its pattern as registered ({@code /detect},
   *     {@code /v2/models/*}, {@code /metrics}), or {@link #UNMATCHED} for a path no route takes
   *     and for a request answered before its headers were read (a header timeout, malformed
   *     headers). Never the raw path, so the values stay few.
   * @param status the HTTP status sent
   * @param requestBytes bytes of the request body read (0 when it was refused from its headers;
   *     what had arrived when it was cut off)
   * @param responseBytes bytes of the response body
   * @param nanos time from the request's first byte (for a connection's first request that
   *     never sent one, from the connection's start) until the response was handed to the
   *     network
   */
  void responded(String route, int status, long requestBytes, long responseBytes, long nanos);

  /**
   * A connection or request was turned away; a refused request is also told to
   * {@link #responded} with its status (a refused connection gets no response).
   *
   * @param reason why
   */
  void refused(RefusalReason reason);

  /** The {@code route} of a request no route took, or one answered before its headers were read. */
  String UNMATCHED = "unmatched";
}
