package org.framecodec.bench.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The registries the overhead benchmarks compare: none bound, Micrometer's simple one, Prometheus. */
final class BenchRegistries {
  private BenchRegistries() {}

  /** {@code none} (null), {@code simple} or {@code prometheus}. */
  static MeterRegistry create(String name) {
    return switch (name) {
      case "none" -> null;
      case "simple" -> new SimpleMeterRegistry();
      case "prometheus" -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      default -> throw new IllegalArgumentException("registry must be none, simple or prometheus, got " + name);
    };
  }
}
