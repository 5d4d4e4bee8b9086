package org.framecodec.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.transport.ClientListener;
import org.framecodec.transport.InferenceHttpException;
import org.framecodec.transport.TransportException;
import org.framecodec.wire.Framing;

/**
 * Meters of one {@link org.framecodec.transport.InferenceClient}, tagged {@code client=NAME}:
 *
 * <table>
 *   <caption>Client meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code framecodec.client.requests}</td><td>timer, histogram</td><td>{@code framing}, {@code outcome}, {@code error}</td><td>calls and their latency</td></tr>
 *   <tr><td>{@code framecodec.client.frames}</td><td>counter</td><td>{@code framing}</td><td>frames of calls the service answered</td></tr>
 *   <tr><td>{@code framecodec.client.sent}</td><td>counter, bytes</td><td>{@code framing}</td><td>request body bytes of calls the service answered</td></tr>
 *   <tr><td>{@code framecodec.client.received}</td><td>counter, bytes</td><td>{@code framing}</td><td>response body bytes of successful calls</td></tr>
 * </table>
 *
 * <p>{@code outcome} is {@code success} or {@code error}; {@code error} is {@code none}, {@code
 * timeout}, {@code connect} (refused or unreachable), {@code io} (another transport failure),
 * {@code http_4xx}, {@code http_5xx}, {@code http_other}, {@code bad_response} (not a detections
 * document), {@code too_large} (over the response limit) or {@code other}.
 *
 * <p>A {@link ClientListener}: pass it to {@link
 * org.framecodec.transport.InferenceClient.Builder#listener}. Records nothing until {@link
 * #bindTo}; {@link #close()} removes the meters. Thread-safe.
 */
public final class ClientMetrics implements MeterBinder, ClientListener, AutoCloseable {
  private final Tags tags;
  private final BoundMeters meters = new BoundMeters();
  /** Per framing and outcome; made on first use, since the error kinds are many. */
  private final Map<String, Timer> requests = new ConcurrentHashMap<>();
  private final Map<Framing, Counter[]> counters = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  /**
   * Meters for a client, tagged {@code client=name} and {@code extraTags}.
   *
   * @param name the {@code client} tag's value
   * @param extraTags more tags for every meter
   */
  public ClientMetrics(String name, Iterable<Tag> extraTags) {
    this.tags = Tags.of(extraTags).and("client", Objects.requireNonNull(name, "name"));
  }

  @Override
  public void bindTo(MeterRegistry target) {
    meters.bindTo(target, "ClientMetrics");
    registry = target;
    for (Framing f : new Framing[] {Framing.JSON, Framing.RAW}) {
      counters(f, target);
      timer(f, "success", "none", target);
    }
  }

  @Override
  public void succeeded(Framing framing, int frames, long requestBytes, long responseBytes, long nanos) {
    MeterRegistry target = registry;
    if (target == null) {
      return;
    }
    timer(framing, "success", "none", target).record(nanos, TimeUnit.NANOSECONDS);
    Counter[] c = counters(framing, target);
    c[0].increment(frames);
    c[1].increment(requestBytes);
    c[2].increment(responseBytes);
  }

  @Override
  public void failed(Framing framing, int frames, long requestBytes, long nanos, RuntimeException error) {
    MeterRegistry target = registry;
    if (target == null) {
      return;
    }
    String kind = kind(error);
    timer(framing, "error", kind, target).record(nanos, TimeUnit.NANOSECONDS);
    if (kind.startsWith("http_") || kind.equals("bad_response") || kind.equals("too_large")) {
      // The service answered, so it had the request; a refused or timed-out one may never have left.
      Counter[] c = counters(framing, target);
      c[0].increment(frames);
      c[1].increment(requestBytes);
    }
  }

  /** The {@code error} tag for an exception the client threw. */
  static String kind(RuntimeException error) {
    if (error instanceof InferenceHttpException http) {
      int family = http.statusCode() / 100;
      return family == 4 || family == 5 ? "http_" + family + "xx" : "http_other";
    }
    if (error instanceof PayloadTooLargeException) {
      return "too_large";
    }
    if (error instanceof CorruptPayloadException) {
      return "bad_response";
    }
    for (Throwable t = error.getCause(); t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException) {
        return "timeout";
      }
      if (t instanceof ConnectException) {
        return "connect";
      }
    }
    return error instanceof TransportException ? "io" : "other";
  }

  private Timer timer(Framing framing, String outcome, String error, MeterRegistry target) {
    String f = framing.name().toLowerCase(Locale.ROOT);
    return requests.computeIfAbsent(f + ' ' + outcome + ' ' + error, k -> meters.add(
        Timer.builder("framecodec.client.requests").description("Inference calls and their latency")
            .tags(tags).tags("framing", f, "outcome", outcome, "error", error)
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60)).register(target)));
  }

  private Counter[] counters(Framing framing, MeterRegistry target) {
    return counters.computeIfAbsent(framing, fr -> {
      Tags t = tags.and("framing", fr.name().toLowerCase(Locale.ROOT));
      return new Counter[] {
          meters.add(Counter.builder("framecodec.client.frames").description("Frames of calls the service answered")
              .tags(t).register(target)),
          meters.add(Counter.builder("framecodec.client.sent").description("Request body bytes of calls the service answered")
              .baseUnit(BaseUnits.BYTES).tags(t).register(target)),
          meters.add(Counter.builder("framecodec.client.received")
              .description("Response body bytes of successful calls").baseUnit(BaseUnits.BYTES)
              .tags(t).register(target))};
    });
  }

  /** Removes the meters; the listener then records nothing. Idempotent. */
  @Override
  public void close() {
    registry = null;
    requests.clear();
    counters.clear();
    meters.remove();
  }
}
