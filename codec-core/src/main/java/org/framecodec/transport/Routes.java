package org.framecodec.transport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The route table: method plus path, where a path ending in {@code /*} matches everything under
 * it ({@code /v2/models/*} matches {@code /v2/models/face/infer}). Exact paths win over prefixes,
 * longer prefixes over shorter. A route may require its own bearer token instead of the server's,
 * and may run on the server's scrape lane instead of its workers (so that {@code /metrics}
 * answers while the workers are busy). Immutable once the server starts; thread-safe.
 */
final class Routes {
  /** One route; {@code token} null means the server's (if any). */
  record Route(String method, String path, Endpoint endpoint, BearerToken token, boolean scrapeLane) {}

  /**
   * The endpoint for a request, or why there is none: 404, or 405 with the methods allowed.
   * {@code pattern} is the matched route's path as registered ({@link ServerListener#UNMATCHED}
   * for 404), the label metrics use; {@code route} is null unless an endpoint was found.
   */
  record Match(Route route, int status, Set<String> allowed, String pattern) {
    Endpoint endpoint() {
      return route == null ? null : route.endpoint;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  void add(String method, String path, Endpoint endpoint) {
    add(method, path, endpoint, null, false);
  }

  void add(String method, String path, Endpoint endpoint, BearerToken token, boolean scrapeLane) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(endpoint, "endpoint");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a route's path must start with '/', got " + path);
    }
    for (Route r : routes) {
      if (r.method.equals(method) && r.path.equals(path)) {
        throw new IllegalArgumentException("route " + method + " " + path + " is already taken");
      }
    }
    routes.add(new Route(method, path, endpoint, token, scrapeLane));
  }

  Match find(String method, String path) {
    int best = -1;
    Set<String> allowed = new LinkedHashSet<>();
    Route chosen = null;
    String pattern = null;
    for (Route r : routes) {
      int score = score(r.path, path);
      if (score < 0) {
        continue;
      }
      if (score > best) {
        best = score;
        allowed.clear();
        chosen = null;
        pattern = r.path;
      }
      if (score == best) {
        allowed.add(r.method);
        if (r.method.equals(method)) {
          chosen = r;
        }
      }
    }
    if (best < 0) {
      return new Match(null, 404, Set.of(), ServerListener.UNMATCHED);
    }
    return chosen != null ? new Match(chosen, 200, allowed, pattern) : new Match(null, 405, allowed, pattern);
  }

  boolean hasScrapeLane() {
    return routes.stream().anyMatch(Route::scrapeLane);
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    for (Route r : routes) {
      b.append(b.length() == 0 ? "" : ", ").append(r.method).append(' ').append(r.path);
    }
    return b.toString();
  }

  /** How well a pattern matches: exact beats any prefix; -1 for no match. */
  private static int score(String pattern, String path) {
    if (pattern.endsWith("/*")) {
      String prefix = pattern.substring(0, pattern.length() - 1);
      return path.startsWith(prefix) ? prefix.length() : -1;
    }
    return pattern.equals(path) ? Integer.MAX_VALUE : -1;
  }
}
