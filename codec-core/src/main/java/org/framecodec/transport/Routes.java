package org.framecodec.transport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The route table: method plus path, where a path ending in {@code /*} matches everything under
 * it ({@code /v2/models/*} matches {@code /v2/models/face/infer}). Exact paths win over prefixes,
 * longer prefixes over shorter. Immutable once the server starts; thread-safe.
 */
final class Routes {
  record Route(String method, String path, Endpoint endpoint) {}

  /** The endpoint for a request, or why there is none: 404, or 405 with the methods allowed. */
  record Match(Endpoint endpoint, int status, Set<String> allowed) {}

  private final List<Route> routes = new ArrayList<>();

  void add(String method, String path, Endpoint endpoint) {
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
    routes.add(new Route(method, path, endpoint));
  }

  Match find(String method, String path) {
    int best = -1;
    Set<String> allowed = new LinkedHashSet<>();
    Endpoint chosen = null;
    for (Route r : routes) {
      int score = score(r.path, path);
      if (score < 0) {
        continue;
      }
      if (score > best) {
        best = score;
        allowed.clear();
        chosen = null;
      }
      if (score == best) {
        allowed.add(r.method);
        if (r.method.equals(method)) {
          chosen = r.endpoint;
        }
      }
    }
    if (best < 0) {
      return new Match(null, 404, Set.of());
    }
    return chosen != null ? new Match(chosen, 200, allowed) : new Match(null, 405, allowed);
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
