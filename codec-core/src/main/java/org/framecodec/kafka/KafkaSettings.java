package org.framecodec.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks the builders of this package share, each failing with the bad value in the
 * message; {@link ClientProperties} holds what they share of a client's configuration.
 */
final class KafkaSettings {
  private KafkaSettings() {}

  /** Checks that a required builder setting was given; the exception names the call that sets it. */
  static <T> T required(T value, String name) {
    return Objects.requireNonNull(value, () -> name + ": call Builder." + name + "(...)");
  }

  /** Checks a timeout or interval: more than zero. */
  static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  /** Checks a delay: zero or more. */
  static Duration notNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
    return d;
  }

  /** Checks a property override: a non-blank key and a non-null value. */
  static void checkProperty(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value of " + key);
    if (key.isBlank()) {
      throw new IllegalArgumentException("a Kafka property name must not be blank");
    }
  }

  /** Checks {@code host:port[,host:port...]} loosely: what Kafka's own parser will refuse later, refused early. */
  static String checkBootstrap(String servers) {
    Objects.requireNonNull(servers, "bootstrapServers");
    if (servers.isBlank() || !servers.contains(":")) {
      throw new IllegalArgumentException("bootstrap servers must be host:port[,host:port...], got '"
          + servers + "'");
    }
    return servers;
  }

  /** Checks a topic name as Kafka does: 1..249 of [a-zA-Z0-9._-], not "." or "..". */
  static String checkTopic(String what, String topic) {
    Objects.requireNonNull(topic, what);
    if (topic.isEmpty() || topic.length() > 249 || topic.equals(".") || topic.equals("..")
        || !topic.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(what + " '" + topic
          + "' is not a legal Kafka topic name (1..249 of a-z A-Z 0-9 . _ -)");
    }
    return topic;
  }
}
