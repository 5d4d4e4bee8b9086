package org.framecodec.transport;

import java.util.Map;

/**
 * A snapshot of an {@link InferenceServer}'s counters, for tests, soaks and health pages.
 *
 * @param openConnections connections open now
 * @param refusedConnections connections closed at once since start, over a connection cap
 * @param inFlightRequests requests being read, queued or running now
 * @param inFlightBodyBytes bytes of request bodies held now (read or being read)
 * @param inFlightPixels pixels declared by the requests admitted now
 * @param pooledBodyBytes bytes of idle body buffers kept for reuse
 * @param responses responses sent since start, by status code
 */
public record ServerStats(int openConnections, long refusedConnections, int inFlightRequests,
    long inFlightBodyBytes, long inFlightPixels, long pooledBodyBytes, Map<Integer, Long> responses) {
  public ServerStats {
    responses = Map.copyOf(responses);
  }

  /** Responses with this status since start. */
  public long responses(int status) {
    return responses.getOrDefault(status, 0L);
  }
}
