package org.framecodec.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.frames.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker goes away under a {@link FrameProducer} that keeps getting frames at 200 fps, and
 * comes back: with {@code BLOCK} the caller is held and nothing is lost; with {@code
 * DROP_OLDEST} the caller is never held and frames are dropped and counted. Either way the
 * producer recovers (the frames submitted after the restart arrive), the counts add up, and the
 * topic holds exactly the acknowledged frames, once each, in order.
 *
 * <p>The producer gets a 64 KiB client buffer (about 15 of these small frames) so that an
 * outage of a few seconds fills it, then the queue, and the policy has to act.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FrameProducerBrokerRestartTest {
  /** Frames submitted before the outage, and again after the broker is back. */
  private static final int FRAMES_EACH_SIDE = 300;
  private static final long FRAME_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final Duration OUTAGE = Duration.ofSeconds(3);

  private static TestBroker broker;
  private static List<Frame> frames;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = TestBroker.start();
    frames = KafkaTestFrames.distinct(8);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void withBlockTheCallerWaitsOutTheBrokerRestartAndEveryFrameArrivesOnce() throws Exception {
    Run run = runThroughRestart("restart-block", OverflowPolicy.BLOCK);
    FrameProducerStats s = run.stats;
    assertEquals(run.submitted, s.offered());
    assertEquals(0, s.dropped(), s.toString());
    assertEquals(run.submitted, s.acked(), s.toString());
    assertEquals(0, s.sendFailures() + s.encodeFailures() + s.unsent(), s.toString());
    assertTrue(s.blockedSends() > 0, "the client buffer never filled: " + s);
    // Held from when the buffers filled (well under a second) until the broker was back.
    assertTrue(run.longestSubmitNanos > TimeUnit.MILLISECONDS.toNanos(2500),
        "submit never waited for the broker: longest " + run.longestSubmitNanos / 1e6 + " ms");
    assertEquals(run.submitted, assertTopicHolds(run.topic, s.acked()).size());
  }

  @Test
  void withDropOldestTheCallerIsNeverHeldAndTheDropsAreCounted() throws Exception {
    Run run = runThroughRestart("restart-drop", OverflowPolicy.DROP_OLDEST);
    FrameProducerStats s = run.stats;
    assertEquals(run.submitted, s.offered());
    assertTrue(s.dropped() > 0, "an outage longer than the buffers must cost frames: " + s);
    assertEquals(s.offered(), s.acked() + s.dropped() + s.encodeFailures() + s.sendFailures()
        + s.unsent(), "every frame is acked or counted lost: " + s);
    assertEquals(0, s.sendFailures(), s.toString());
    // Never held for the outage (3 s plus the restart); the bound leaves room for GC and
    // scheduling pauses on a loaded machine (up to 0.5 s seen).
    assertTrue(run.longestSubmitNanos < TimeUnit.SECONDS.toNanos(2),
        "a live source must not be held: longest submit " + run.longestSubmitNanos / 1e6 + " ms");
    List<Long> numbers = assertTopicHolds(run.topic, s.acked());
    // Recovered: the frames submitted once the broker was back made it, the last one included.
    long after = numbers.stream().filter(n -> n >= run.submittedBeforeRestart).count();
    assertTrue(after >= FRAMES_EACH_SIDE / 2, after + " frames of the " + FRAMES_EACH_SIDE
        + " after the restart arrived: " + s);
    assertEquals(run.submitted - 1, numbers.get(numbers.size() - 1), "the newest frame arrived");
  }

  private record Run(String topic, FrameProducerStats stats, long longestSubmitNanos,
      long submitted, long submittedBeforeRestart) {}

  /**
   * Submits frames at 200 fps: {@link #FRAMES_EACH_SIDE} before the broker stops, through the
   * outage, and {@link #FRAMES_EACH_SIDE} more once it is back.
   */
  private static Run runThroughRestart(String topic, OverflowPolicy policy) throws Exception {
    broker.createTopics(1, topic);
    AtomicLong longest = new AtomicLong();
    AtomicLong submitted = new AtomicLong();
    AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
    AtomicReference<Throwable> error = new AtomicReference<>();
    FrameProducerStats stats;
    try (FrameProducer producer = FrameProducer.builder().bootstrapServers(broker.bootstrapServers())
        .topic(topic).encodeOptions(KafkaTestFrames.OPTIONS).encodeThreads(1).batchSize(4)
        .queueCapacity(32).overflowPolicy(policy)
        .property("buffer.memory", 64 * 1024).property("batch.size", 16 * 1024)
        // The client's default reconnect backoff grows to 1 s: after the restart it could spend
        // most of the 1.5 s this test measures waiting to reconnect (a JDK 25 CI run got 145 of
        // 300 frames through). A live source would lower it the same way.
        .property("reconnect.backoff.max.ms", 200)
        .build()) {
      Thread source = new Thread(() -> {
        try {
          long next = System.nanoTime();
          for (int i = 0; i < stopAt.get(); i++) {
            long t0 = System.nanoTime();
            producer.submit("live", i, i * 5_000L, frames.get(i % frames.size()));
            longest.accumulateAndGet(System.nanoTime() - t0, Math::max);
            submitted.incrementAndGet();
            next += FRAME_INTERVAL_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
        } catch (Throwable t) {
          error.set(t);
        }
      }, "test-source");
      source.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (producer.stats().acked() < FRAMES_EACH_SIDE && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(producer.stats().acked() >= FRAMES_EACH_SIDE, "no progress before the outage: "
          + producer.stats());
      long stoppingAt = submitted.get();
      broker.stop();
      Thread.sleep(OUTAGE.toMillis());
      broker.restart();
      long restartedAt = submitted.get();
      stopAt.set(restartedAt + FRAMES_EACH_SIDE);
      System.out.printf("%s: broker away while frames %d..%d were submitted%n", policy, stoppingAt,
          restartedAt);
      source.join(TimeUnit.MINUTES.toMillis(3));
      assertTrue(!source.isAlive(), "the source is still blocked: " + producer.stats());
      if (error.get() != null) {
        throw new AssertionError("the source failed", error.get());
      }
      producer.flush();
      stats = producer.stats();
      System.out.printf("%s: %s; longest submit %.0f ms%n", policy, stats, longest.get() / 1e6);
    }
    return new Run(topic, stats, longest.get(), submitted.get(), stopAt.get() - FRAMES_EACH_SIDE);
  }

  /**
   * The topic has exactly {@code count} frames of stream "live", each once, in increasing frame
   * order; returns their frame numbers.
   */
  private static List<Long> assertTopicHolds(String topic, long count) {
    List<EncodedFrame> got = new ArrayList<>();
    try (KafkaConsumer<String, EncodedFrame> c = new KafkaConsumer<>(
        Map.of("bootstrap.servers", broker.bootstrapServers()), new StringDeserializer(),
        new EncodedFrameDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, EncodedFrame> r : c.poll(Duration.ofMillis(300))) {
          assertEquals("live", r.key());
          got.add(r.value());
        }
      }
    }
    assertEquals(count, got.size(), "records in " + topic);
    List<Long> numbers = new ArrayList<>();
    long last = -1;
    for (EncodedFrame f : got) {
      long n = f.frameNumber().getAsLong();
      assertTrue(n > last, "frame " + n + " after " + last + ": out of order or twice");
      last = n;
      assertEquals(n * 5_000L, f.timestampMicros().getAsLong());
      numbers.add(n);
    }
    return numbers;
  }
}
