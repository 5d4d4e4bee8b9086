package org.framecodec.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Client properties shared by the builders: defaults first, then the caller's overrides. */
final class KafkaSettings {
  private KafkaSettings() {}

  /** {@code defaults} overlaid with {@code overrides}; the caller's value wins. */
  static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> overrides) {
    Map<String, Object> m = new HashMap<>(defaults);
    m.putAll(overrides);
    return m;
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

  static Map<String, Object> copy(Map<String, Object> m) {
    return Map.copyOf(new HashMap<>(m));
  }
}
