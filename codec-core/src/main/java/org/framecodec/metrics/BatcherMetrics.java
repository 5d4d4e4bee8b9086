package org.framecodec.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.framecodec.batch.Batch;
import org.framecodec.batch.BatchItem;
import org.framecodec.batch.BatchTrigger;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.BatcherObserver;
import org.framecodec.batch.BatcherStats;
import org.framecodec.batch.DropReason;

/**
 * Meters of one {@link Batcher}, tagged {@code batcher=NAME}:
 *
 * <table>
 *   <caption>Batcher meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code framecodec.batcher.queue.depth}</td><td>gauge</td><td></td><td>items waiting</td></tr>
 *   <tr><td>{@code framecodec.batcher.queue.capacity}</td><td>gauge</td><td></td><td>most items that may wait</td></tr>
 *   <tr><td>{@code framecodec.batcher.in.flight}</td><td>gauge</td><td></td><td>items of the batch being delivered</td></tr>
 *   <tr><td>{@code framecodec.batcher.items.submitted}</td><td>counter</td><td></td><td>items offered to {@code submit}</td></tr>
 *   <tr><td>{@code framecodec.batcher.items.delivered}</td><td>counter</td><td></td><td>items whose batch the consumer finished</td></tr>
 *   <tr><td>{@code framecodec.batcher.items.dropped}</td><td>counter</td><td>{@code reason}, {@code policy}</td><td>items lost to backpressure</td></tr>
 *   <tr><td>{@code framecodec.batcher.items.handed.back}</td><td>counter</td><td></td><td>items returned by {@code closeNow}</td></tr>
 *   <tr><td>{@code framecodec.batcher.batches}</td><td>counter</td><td>{@code trigger}</td><td>batches delivered, by what cut them</td></tr>
 *   <tr><td>{@code framecodec.batcher.consumer.failures}</td><td>counter</td><td></td><td>batches the consumer threw on</td></tr>
 *   <tr><td>{@code framecodec.batcher.batch.size}</td><td>summary</td><td></td><td>items per delivered batch</td></tr>
 *   <tr><td>{@code framecodec.batcher.wait}</td><td>timer, histogram</td><td></td><td>each item's wait from submit to its consumer call</td></tr>
 *   <tr><td>{@code framecodec.batcher.consumer}</td><td>timer</td><td></td><td>time in the consumer per batch</td></tr>
 * </table>
 *
 * <p>Gauges and counters read {@link Batcher#stats()} when the registry asks; the summary and
 * timers are fed by a {@link BatcherObserver} attached on {@link #bindTo} and detached on {@link
 * #close()}, which also removes the meters. Once the batcher is idle, {@code items.submitted =
 * items.delivered + items.dropped (+ items.handed.back)}. Thread-safe.
 */
public final class BatcherMetrics implements MeterBinder, BatcherObserver, AutoCloseable {
  private final Batcher<?> batcher;
  private final Tags tags;
  private final BoundMeters meters = new BoundMeters();
  private volatile DistributionSummary batchSize;
  private volatile Timer waits;
  private volatile Timer consumer;

  /**
   * Meters for {@code batcher}, tagged {@code batcher=name} and {@code extraTags}; registered by
   * {@link #bindTo}.
   *
   * @param batcher the batcher to watch
   * @param name the {@code batcher} tag's value
   * @param extraTags more tags for every meter
   */
  public BatcherMetrics(Batcher<?> batcher, String name, Iterable<Tag> extraTags) {
    this.batcher = Objects.requireNonNull(batcher, "batcher");
    this.tags = Tags.of(extraTags).and("batcher", Objects.requireNonNull(name, "name"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(registry, "BatcherMetrics of " + batcher);
    Batcher<?> b = batcher;
    gauge(registry, "framecodec.batcher.queue.depth", "Items waiting to be batched", BatcherStats::queueDepth);
    gauge(registry, "framecodec.batcher.queue.capacity", "Most items that may wait", BatcherStats::queueCapacity);
    gauge(registry, "framecodec.batcher.in.flight", "Items in the batch being delivered", BatcherStats::inFlight);
    counter(registry, "framecodec.batcher.items.submitted", "Items offered to submit", Tags.empty(),
        BatcherStats::offered);
    counter(registry, "framecodec.batcher.items.delivered", "Items whose batch the consumer finished",
        Tags.empty(), BatcherStats::delivered);
    String policy = b.overflowPolicy().name().toLowerCase(Locale.ROOT);
    for (DropReason reason : DropReason.values()) {
      ToDoubleFunction<BatcherStats> f = switch (reason) {
        case REJECTED -> BatcherStats::rejected;
        case DROPPED_OLDEST -> BatcherStats::droppedOldest;
        case INTERRUPTED -> BatcherStats::interrupted;
      };
      counter(registry, "framecodec.batcher.items.dropped", "Items lost to backpressure",
          Tags.of("reason", reason.name().toLowerCase(Locale.ROOT), "policy", policy), f);
    }
    counter(registry, "framecodec.batcher.items.handed.back", "Items returned undelivered by closeNow",
        Tags.empty(), BatcherStats::handedBack);
    for (BatchTrigger trigger : BatchTrigger.values()) {
      counter(registry, "framecodec.batcher.batches", "Batches delivered, by what cut them",
          Tags.of("trigger", trigger.name().toLowerCase(Locale.ROOT)), s -> s.batchesBy(trigger));
    }
    counter(registry, "framecodec.batcher.consumer.failures", "Batches the consumer threw on",
        Tags.empty(), BatcherStats::consumerFailures);
    batchSize = meters.add(DistributionSummary.builder("framecodec.batcher.batch.size")
        .description("Items per delivered batch").tags(tags).register(registry));
    waits = meters.add(Timer.builder("framecodec.batcher.wait")
        .description("Wait of each item from submit to the start of its consumer call")
        .tags(tags).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry));
    consumer = meters.add(Timer.builder("framecodec.batcher.consumer")
        .description("Time the consumer spent on each batch").tags(tags).register(registry));
    b.addObserver(this);
  }

  private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<BatcherStats> f) {
    meters.add(Gauge.builder(name, batcher, b -> f.applyAsDouble(b.stats())).description(help)
        .tags(tags).register(registry));
  }

  private void counter(MeterRegistry registry, String name, String help, Tags more,
      ToDoubleFunction<BatcherStats> f) {
    meters.add(FunctionCounter.builder(name, batcher, b -> f.applyAsDouble(b.stats()))
        .description(help).tags(tags).tags(more).register(registry));
  }

  /** Records one delivered batch; called by the batcher. */
  @Override
  public void delivered(Batch<?> batch, long startNanos, long endNanos, boolean failed) {
    Timer w = waits;
    if (w == null) {
      return;
    }
    batchSize.record(batch.size());
    consumer.record(endNanos - startNanos, TimeUnit.NANOSECONDS);
    for (BatchItem<?> item : batch.items()) {
      w.record(startNanos - item.submitNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Detaches from the batcher and removes the meters from the registry. Idempotent. */
  @Override
  public void close() {
    batcher.removeObserver(this);
    meters.remove();
  }
}
