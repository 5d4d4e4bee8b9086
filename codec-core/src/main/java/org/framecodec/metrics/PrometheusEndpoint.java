package org.framecodec.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.framecodec.transport.Endpoint;
import org.framecodec.transport.ServerRequest;
import org.framecodec.transport.ServerResponse;

/**
 * {@code GET /metrics} for the receiver: answers with a Prometheus registry's scrape in the
 * Prometheus text format (version 0.0.4, which every Prometheus server and agent reads).
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * InferenceServer server = InferenceServer.builder().detector(detector)
 *     .metrics(new PrometheusEndpoint(registry))   // behind the server's token, if it has one
 *     .start();
 * FrameCodecMetrics.of(registry).bind(server, "receiver");
 * }</pre>
 *
 * <p>Needs {@code io.micrometer:micrometer-registry-prometheus}, an optional dependency of
 * codec-core: add it to use this class. No other class of FrameCodec refers to it, so {@link
 * ServerMetrics} and the other binders work with any registry without it. Renders the whole
 * registry, the service's own meters included. Thread-safe.
 */
public final class PrometheusEndpoint implements Endpoint {
  /** The {@code Content-Type} of the answer. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  /**
   * Serves {@code registry}.
   *
   * @param registry the registry to scrape on every request
   */
  public PrometheusEndpoint(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public ServerResponse handle(ServerRequest request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
    registry.scrape(out);
    return new ServerResponse(200, CONTENT_TYPE, out.toByteArray(), Map.of());
  }
}
