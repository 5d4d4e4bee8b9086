package org.framecodec.transport;

/**
 * Why an {@link InferenceServer} turned a connection or request away before (or instead of)
 * serving it; told to a {@link ServerListener}. Errors the request itself earned (a damaged body,
 * a frame over a limit, a wrong token) are not refusals: they are told as responses with their
 * status.
 */
public enum RefusalReason {
  /** A request's headers did not arrive within the header timeout (408). */
  HEADER_TIMEOUT,
  /** A body arrived under the minimum rate after its grace period (408). */
  SLOW_BODY,
  /** A new connection passed a connection cap (in all or per address) and was closed unread. */
  TOO_MANY_CONNECTIONS,
  /** The process-wide budget of request body bytes was full (503). */
  BODY_BUDGET,
  /** The process-wide budget of in-flight pixels was full (503). */
  PIXEL_BUDGET,
  /** Every worker was busy and the request queue full (503). */
  QUEUE_FULL,
  /** The server was draining for shutdown (503). */
  SHUTTING_DOWN,
  /** Another endpoint said it was busy ({@link ServerBusyException}, 503). */
  ENDPOINT_BUSY
}
