package org.framecodec.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole results topic (every partition, from the start, no group) and keeps, per
 * stream, the first result of each frame in arrival order, and how many came twice. Arrival
 * order within a partition is the order the workers wrote; the test checks it is frame order.
 */
final class ResultsCollector implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, LinkedHashMap<Long, DetectionResult>> byStream = new HashMap<>();
  private final Map<String, Long> highest = new HashMap<>();
  private final List<String> outOfOrder = new ArrayList<>();
  private long records;
  private long duplicates;

  ResultsCollector(String bootstrap, String topic) {
    consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Polls until {@code done} holds or {@code timeout} passes; true if it holds. */
  boolean pollUntil(BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pollOnce(Duration.ofMillis(200));
    }
    return true;
  }

  /** Polls until {@code total} distinct frames have results, or the timeout; true if they have. */
  boolean awaitDistinct(int total, Duration timeout) {
    return pollUntil(() -> distinct() >= total, timeout);
  }

  void pollOnce(Duration timeout) {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      records++;
      DetectionResult result = ResultRecords.fromRecord(r);
      LinkedHashMap<Long, DetectionResult> frames =
          byStream.computeIfAbsent(result.streamId(), s -> new LinkedHashMap<>());
      if (frames.containsKey(result.frameNumber())) {
        duplicates++;
        continue;
      }
      long top = highest.getOrDefault(result.streamId(), -1L);
      if (result.frameNumber() < top) {
        outOfOrder.add(result.streamId() + " frame " + result.frameNumber() + " after " + top);
      }
      highest.put(result.streamId(), Math.max(top, result.frameNumber()));
      frames.put(result.frameNumber(), result);
    }
  }

  /** Frames with at least one result. */
  int distinct() {
    return byStream.values().stream().mapToInt(Map::size).sum();
  }

  long records() {
    return records;
  }

  long duplicates() {
    return duplicates;
  }

  /** First results that came after a later frame of their stream; empty when every stream is in order. */
  List<String> outOfOrder() {
    return outOfOrder;
  }

  /** The first result of each frame of {@code stream}, in arrival order. */
  List<DetectionResult> stream(String stream) {
    return new ArrayList<>(byStream.getOrDefault(stream, new LinkedHashMap<>()).values());
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
