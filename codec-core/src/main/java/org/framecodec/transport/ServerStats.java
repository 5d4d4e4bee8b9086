package org.framecodec.transport;

import java.util.Map;

/**
 * A snapshot of an {@link InferenceServer}'s counters, for tests, soaks and health pages.
 *
 * @param openConnections connections open now
 * @param refusedConnections connections closed at once since start, over a connection cap
 * @param inFlightRequests requests being read, queued or running now
 * @param queuedRequests requests waiting for a worker now
 * @param inFlightBodyBytes bytes of request bodies held now (read or being read)
 * @param inFlightPixels pixels declared by the requests admitted now
 * @param pooledBodyBytes bytes of idle body buffers kept for reuse
 * @param responses responses sent since start, by status code
 */
public record ServerStats(int openConnections, long refusedConnections, int inFlightRequests,
    int queuedRequests, long inFlightBodyBytes, long inFlightPixels, long pooledBodyBytes,
    Map<Integer, Long> responses) {
  /**
   * Copies the map.
   *
   * @param openConnections connections open now
   * @param refusedConnections connections closed at once since start
   * @param inFlightRequests requests being read, queued or running now
   * @param queuedRequests requests waiting for a worker now
   * @param inFlightBodyBytes bytes of request bodies held now
   * @param inFlightPixels pixels declared by the requests admitted now
   * @param pooledBodyBytes bytes of idle body buffers kept for reuse
   * @param responses responses sent since start, by status code
   */
  public ServerStats {
    responses = Map.copyOf(responses);
  }

  /**
   * Responses with one status since start.
   *
   * @param status the HTTP status
   * @return how many were sent
   */
  public long responses(int status) {
    return responses.getOrDefault(status, 0L);
  }
}
