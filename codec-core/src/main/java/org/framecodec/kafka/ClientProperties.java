package org.framecodec.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The properties of one Kafka client that a builder of this package makes, in three layers: what
 * every client of its kind here sets, the owning class's own defaults, and the caller's
 * overrides on top. Each builder used to lay these out by hand; this is the one place that does.
 *
 * <p>Every producer here is idempotent with {@code acks=all} (no duplicate or reordered record
 * from a retry); every consumer commits offsets itself or not at all ({@code
 * enable.auto.commit=false}). The owning class fixes the (de)serializers, so an override of one
 * is refused when it is set, with the key in the message.
 *
 * <p>Mutable, owned by one builder; not thread-safe.
 */
final class ClientProperties {
  private final Map<String, Object> kindDefaults;
  private final Set<String> fixedKeys;
  private final String whyFixed;
  private final Map<String, Object> overrides = new HashMap<>();

  private ClientProperties(Map<String, Object> kindDefaults, Set<String> fixedKeys, String whyFixed) {
    this.kindDefaults = kindDefaults;
    this.fixedKeys = fixedKeys;
    this.whyFixed = whyFixed;
  }

  /**
   * {@return the properties of an idempotent producer with {@code acks=all}}
   *
   * @param whyFixed appended to {@code "<key> is fixed"} when a serializer is overridden; may be empty
   */
  static ClientProperties producer(String whyFixed) {
    return new ClientProperties(
        Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG),
        whyFixed);
  }

  /** {@return the properties of a consumer that never commits on its own} */
  static ClientProperties consumer() {
    return new ClientProperties(
        Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        Set.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG),
        "");
  }

  /**
   * Records the caller's override of one property.
   *
   * @throws IllegalArgumentException for a blank key or a (de)serializer
   */
  void set(String key, Object value) {
    KafkaSettings.checkProperty(key, value);
    if (fixedKeys.contains(key)) {
      throw new IllegalArgumentException(key + " is fixed" + whyFixed);
    }
    overrides.put(key, value);
  }

  /** {@return the caller's override of {@code key}, or null} */
  Object override(String key) {
    return overrides.get(key);
  }

  /**
   * The client's configuration: the brokers, the client id and this kind's settings, then the
   * owner's {@code defaults}, then the caller's overrides; a later layer wins.
   */
  Map<String, Object> resolve(String bootstrapServers, String clientId, Map<String, Object> defaults) {
    Map<String, Object> m = new HashMap<>(kindDefaults);
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    m.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    m.putAll(defaults);
    m.putAll(overrides);
    return m;
  }
}
