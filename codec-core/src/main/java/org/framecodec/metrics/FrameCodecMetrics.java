package org.framecodec.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.framecodec.batch.Batcher;
import org.framecodec.detect.Detector;
import org.framecodec.detect.ObservedDetector;
import org.framecodec.transport.ClientListener;
import org.framecodec.transport.InferenceServer;

/**
 * Binds FrameCodec's long-lived objects to a Micrometer {@link MeterRegistry}: the one call a
 * service makes per object it holds.
 *
 * <pre>{@code
 * FrameCodecMetrics metrics = FrameCodecMetrics.of(registry);
 * metrics.bindCodecs();                                        // every codec in the process
 * metrics.bind(batcher, "faces");                              // framecodec.batcher.*{batcher="faces"}
 * Detector detector = metrics.bind(Detector.open(options), "blazeface"); // use the returned one
 * InferenceClient client = InferenceClient.builder(uri)
 *     .listener(metrics.client("detector-service")).build();
 * metrics.bind(server, "receiver");                            // framecodec.server.*{server="receiver"}
 * ...
 * metrics.close();                                             // detaches and removes every meter
 * }</pre>
 *
 * <p>The meters are listed in {@link BatcherMetrics}, {@link DetectorMetrics}, {@link
 * ClientMetrics}, {@link ServerMetrics} and {@link CodecMetrics}, which a framework that collects
 * {@code MeterBinder}s (Spring Boot, Micronaut) can also take one by one. Nothing is measured
 * before a bind call, and the watched objects never see a Micrometer type. Each bind registers meters at once; {@code
 * close()} undoes every bind of this instance. Thread-safe.
 */
public final class FrameCodecMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<AutoCloseable> bound = new ArrayList<>();
  private CodecMetrics codecs;

  private FrameCodecMetrics(MeterRegistry registry, Tags tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tags = tags;
  }

  /**
   * Binds into {@code registry}.
   *
   * @param registry where the meters go
   * @return a binder with nothing bound yet
   */
  public static FrameCodecMetrics of(MeterRegistry registry) {
    return new FrameCodecMetrics(registry, Tags.empty());
  }

  /**
   * Binds into {@code registry}, adding {@code commonTags} to every meter.
   *
   * @param registry where the meters go
   * @param commonTags tags for every meter (application, instance, ...)
   * @return a binder with nothing bound yet
   */
  public static FrameCodecMetrics of(MeterRegistry registry, Iterable<Tag> commonTags) {
    return new FrameCodecMetrics(registry, Tags.of(commonTags));
  }

  /**
   * Meters of every codec in the process ({@link CodecMetrics}); a second call does nothing.
   *
   * @return the codec binder
   */
  public synchronized CodecMetrics bindCodecs() {
    if (codecs == null) {
      codecs = keep(new CodecMetrics(tags));
      codecs.bindTo(registry);
    }
    return codecs;
  }

  /**
   * Meters of {@code batcher} tagged {@code batcher=name} ({@link BatcherMetrics}).
   *
   * @param batcher the batcher
   * @param name the {@code batcher} tag's value
   * @return the batcher's binder
   */
  public synchronized BatcherMetrics bind(Batcher<?> batcher, String name) {
    BatcherMetrics m = keep(new BatcherMetrics(batcher, name, tags));
    m.bindTo(registry);
    return m;
  }

  /**
   * Meters of {@code detector} tagged {@code detector=name} ({@link DetectorMetrics}). Returns the
   * detector to use from now on: {@code detector} wrapped by {@link ObservedDetector}, which owns
   * it (closing the wrapper closes it).
   *
   * @param detector the detector
   * @param name the {@code detector} tag's value
   * @return the detector to use from now on
   */
  public synchronized Detector bind(Detector detector, String name) {
    DetectorMetrics m = keep(new DetectorMetrics(detector.info(), name, tags));
    m.bindTo(registry);
    return ObservedDetector.wrap(detector, m);
  }

  /**
   * Meters of an {@link org.framecodec.transport.InferenceClient} tagged {@code client=name}
   * ({@link ClientMetrics}): pass the result to the client's builder.
   *
   * @param name the {@code client} tag's value
   * @return the listener to pass to {@link
   *     org.framecodec.transport.InferenceClient.Builder#listener}
   */
  public synchronized ClientListener client(String name) {
    ClientMetrics m = keep(new ClientMetrics(name, tags));
    m.bindTo(registry);
    return m;
  }

  /**
   * Meters of the receiver {@code server} tagged {@code server=name} ({@link ServerMetrics}).
   * To serve them at {@code GET /metrics}, give the server's builder a {@link PrometheusEndpoint}.
   *
   * @param server the running receiver
   * @param name the {@code server} tag's value
   * @return the server's binder
   */
  public synchronized ServerMetrics bind(InferenceServer server, String name) {
    ServerMetrics m = keep(new ServerMetrics(server, name, tags));
    m.bindTo(registry);
    return m;
  }

  private <C extends AutoCloseable> C keep(C binder) {
    bound.add(binder);
    return binder;
  }

  /** Detaches every hook this instance attached and removes its meters. Idempotent. */
  @Override
  public synchronized void close() {
    for (AutoCloseable c : bound) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot unbind " + c, e);
      }
    }
    bound.clear();
    codecs = null;
  }
}
