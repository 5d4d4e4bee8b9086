package org.framecodec.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.RefusalReason;
import org.framecodec.transport.ServerListener;
import org.framecodec.transport.ServerStats;

/**
 * Meters of one {@link InferenceServer} (the receiver), tagged {@code server=NAME}:
 *
 * <table>
 *   <caption>Receiver meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code framecodec.server.requests}</td><td>timer, histogram</td><td>{@code route}, {@code status}</td><td>responses and their latency, by status class</td></tr>
 *   <tr><td>{@code framecodec.server.errors}</td><td>counter</td><td>{@code route}, {@code code}, {@code error}</td><td>responses of status 400 and above</td></tr>
 *   <tr><td>{@code framecodec.server.received}</td><td>counter, bytes</td><td>{@code route}</td><td>request body bytes read</td></tr>
 *   <tr><td>{@code framecodec.server.sent}</td><td>counter, bytes</td><td>{@code route}</td><td>response body bytes</td></tr>
 *   <tr><td>{@code framecodec.server.refusals}</td><td>counter</td><td>{@code reason}</td><td>connections and requests turned away</td></tr>
 *   <tr><td>{@code framecodec.server.connections}</td><td>gauge</td><td></td><td>connections open now</td></tr>
 *   <tr><td>{@code framecodec.server.requests.in.flight}</td><td>gauge</td><td></td><td>requests being read, queued or run now</td></tr>
 *   <tr><td>{@code framecodec.server.requests.queued}</td><td>gauge</td><td></td><td>requests waiting for a worker now</td></tr>
 *   <tr><td>{@code framecodec.server.queue.capacity}</td><td>gauge</td><td></td><td>most requests that may wait</td></tr>
 *   <tr><td>{@code framecodec.server.pixels.in.flight}</td><td>gauge</td><td></td><td>pixels of the requests admitted now</td></tr>
 *   <tr><td>{@code framecodec.server.pixels.capacity}</td><td>gauge</td><td></td><td>the in-flight pixel budget</td></tr>
 *   <tr><td>{@code framecodec.server.body.in.flight}</td><td>gauge, bytes</td><td></td><td>request body bytes held now</td></tr>
 *   <tr><td>{@code framecodec.server.body.capacity}</td><td>gauge, bytes</td><td></td><td>the in-flight body budget</td></tr>
 * </table>
 *
 * <p>{@code route} is the route's pattern as registered ({@code /detect}, {@code /metrics},
 * {@code /v2/models/*}) or {@code unmatched} (a path no route takes, or a request answered before
 * its headers were read), never the raw path. {@code status} is the class: {@code 2xx}, {@code
 * 4xx}, {@code 5xx}. {@code code} is the status ({@code 413}) and {@code error} its name: {@code
 * bad_request} (400), {@code unauthorized} (401), {@code not_found} (404), {@code
 * method_not_allowed} (405), {@code timeout} (408), {@code too_large} (413), {@code uri_too_long}
 * (414), {@code unsupported} (415), {@code headers_too_large} (431), {@code internal_error}
 * (500), {@code busy} (503), else {@code http_CODE}. {@code reason} is a {@link RefusalReason} in
 * lower case ({@code header_timeout}, {@code slow_body}, {@code too_many_connections}, {@code
 * body_budget}, {@code pixel_budget}, {@code queue_full}, {@code shutting_down}, {@code
 * endpoint_busy}); every reason is registered at bind, at zero. Latency runs from the request's
 * first byte until its response is handed to the network.
 *
 * <p>Gauges read {@link InferenceServer#stats()} when the registry asks; the rest is fed by the
 * {@link ServerListener} attached on {@link #bindTo} and detached on {@link #close()}, which also
 * removes the meters. Every response is counted once in {@code requests}, so {@code requests}
 * (all statuses) = responses, and {@code errors} = the {@code 4xx} and {@code 5xx} of them.
 * Thread-safe.
 */
public final class ServerMetrics implements MeterBinder, ServerListener, AutoCloseable {
  private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final InferenceServer server;
  private final Tags tags;
  private final BoundMeters meters = new BoundMeters();
  /** Per route; made on first use, since routes are few but not known before requests come. */
  private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final Counter[] refusals = new Counter[RefusalReason.values().length];
  private volatile MeterRegistry registry;

  /** One route's meters; its timers and error counters are made on first use. */
  private final class RouteMeters {
    final Tags tags;
    final Timer[] byClass = new Timer[CLASSES.length];
    final Map<Integer, Counter> errors = new ConcurrentHashMap<>();
    final Counter received;
    final Counter sent;

    RouteMeters(String route, MeterRegistry target) {
      this.tags = ServerMetrics.this.tags.and("route", route);
      received = meters.add(Counter.builder("framecodec.server.received")
          .description("Request body bytes the receiver read").baseUnit(BaseUnits.BYTES).tags(tags)
          .register(target));
      sent = meters.add(Counter.builder("framecodec.server.sent")
          .description("Response body bytes the receiver wrote").baseUnit(BaseUnits.BYTES).tags(tags)
          .register(target));
    }

    synchronized Timer timer(int statusClass, MeterRegistry target) {
      Timer t = byClass[statusClass];
      if (t == null) {
        t = meters.add(Timer.builder("framecodec.server.requests")
            .description("Responses of the receiver and their latency").tags(tags)
            .tag("status", CLASSES[statusClass]).publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
            .register(target));
        byClass[statusClass] = t;
      }
      return t;
    }

    Counter error(int status, MeterRegistry target) {
      return errors.computeIfAbsent(status, s -> meters.add(Counter.builder("framecodec.server.errors")
          .description("Error responses of the receiver, by status").tags(tags)
          .tags("code", Integer.toString(s), "error", errorName(s)).register(target)));
    }
  }

  /**
   * Meters for {@code server}, tagged {@code server=name} and {@code extraTags}; registered by
   * {@link #bindTo}.
   *
   * @param server the receiver to watch
   * @param name the {@code server} tag's value
   * @param extraTags more tags for every meter
   */
  public ServerMetrics(InferenceServer server, String name, Iterable<Tag> extraTags) {
    this.server = Objects.requireNonNull(server, "server");
    this.tags = Tags.of(extraTags).and("server", Objects.requireNonNull(name, "name"));
  }

  @Override
  public void bindTo(MeterRegistry target) {
    meters.bindTo(target, "ServerMetrics of " + server.uri());
    gauge(target, "framecodec.server.connections", "Connections open now", null, ServerStats::openConnections);
    gauge(target, "framecodec.server.requests.in.flight", "Requests being read, queued or run now", null,
        ServerStats::inFlightRequests);
    gauge(target, "framecodec.server.requests.queued", "Requests waiting for a worker now", null,
        ServerStats::queuedRequests);
    gauge(target, "framecodec.server.pixels.in.flight", "Pixels declared by the requests admitted now", null,
        ServerStats::inFlightPixels);
    gauge(target, "framecodec.server.body.in.flight", "Request body bytes held now", BaseUnits.BYTES,
        ServerStats::inFlightBodyBytes);
    constant(target, "framecodec.server.queue.capacity", "Most requests that may wait for a worker", null,
        server.options().queueCapacity());
    constant(target, "framecodec.server.pixels.capacity", "The in-flight pixel budget (maxInFlightPixels)",
        null, server.limits().maxInFlightPixels());
    constant(target, "framecodec.server.body.capacity", "The in-flight body budget (maxInFlightBodyBytes)",
        BaseUnits.BYTES, server.options().maxInFlightBodyBytes());
    for (RefusalReason reason : RefusalReason.values()) {
      refusals[reason.ordinal()] = meters.add(Counter.builder("framecodec.server.refusals")
          .description("Connections and requests the receiver turned away").tags(tags)
          .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(target));
    }
    registry = target;
    server.addListener(this);
  }

  private void gauge(MeterRegistry target, String name, String help, String unit,
      ToDoubleFunction<ServerStats> f) {
    meters.add(Gauge.builder(name, server, s -> f.applyAsDouble(s.stats())).description(help)
        .baseUnit(unit).tags(tags).register(target));
  }

  private void constant(MeterRegistry target, String name, String help, String unit, double value) {
    meters.add(Gauge.builder(name, () -> value).description(help).baseUnit(unit).tags(tags).register(target));
  }

  /** Records one response; called by the server. */
  @Override
  public void responded(String route, int status, long requestBytes, long responseBytes, long nanos) {
    MeterRegistry target = registry;
    if (target == null) {
      return;
    }
    RouteMeters m = routes.computeIfAbsent(route, r -> new RouteMeters(r, target));
    m.timer(Math.max(0, Math.min(CLASSES.length - 1, status / 100 - 1)), target)
        .record(nanos, TimeUnit.NANOSECONDS);
    m.received.increment(requestBytes);
    m.sent.increment(responseBytes);
    if (status >= 400) {
      m.error(status, target).increment();
    }
  }

  /** Records one refusal; called by the server. */
  @Override
  public void refused(RefusalReason reason) {
    if (registry != null) {
      refusals[reason.ordinal()].increment();
    }
  }

  /** The {@code error} tag of a status. */
  static String errorName(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "timeout";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported";
      case 429 -> "too_many_requests";
      case 431 -> "headers_too_large";
      case 500 -> "internal_error";
      case 503 -> "busy";
      default -> "http_" + status;
    };
  }

  /** Detaches from the server and removes the meters from the registry. Idempotent. */
  @Override
  public void close() {
    server.removeListener(this);
    registry = null;
    routes.clear();
    meters.remove();
  }
}
