package org.framecodec.bench.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.framecodec.kafka.KafkaPipelineException;

/** Creates and deletes topics for the kafka commands, with a deadline on every call. */
final class KafkaTopics {
  private static final long TIMEOUT_SECONDS = 60;

  private KafkaTopics() {}

  /**
   * Parses {@code NAME:PARTITIONS} specs, e.g. {@code frames:8}, in order.
   *
   * @throws IllegalArgumentException on a malformed spec
   */
  static Map<String, Integer> parse(List<String> specs) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      try {
        int partitions = Integer.parseInt(spec.substring(colon + 1));
        if (colon <= 0 || partitions < 1 || partitions > 10_000) {
          throw new NumberFormatException();
        }
        out.put(spec.substring(0, colon), partitions);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("topic '" + spec
            + "' must be NAME:PARTITIONS with 1..10000 partitions, e.g. frames:8");
      }
    }
    return out;
  }

  /** Creates the topics (replication factor as given); returns those that already existed. */
  static List<String> create(String bootstrap, Map<String, Integer> topics, short replication) {
    List<String> existed = new ArrayList<>();
    try (Admin admin = admin(bootstrap)) {
      List<NewTopic> create = new ArrayList<>();
      topics.forEach((name, partitions) -> create.add(new NewTopic(name, partitions, replication)));
      var result = admin.createTopics(create);
      for (var e : result.values().entrySet()) {
        try {
          e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException ex) {
          if (ex.getCause() instanceof TopicExistsException) {
            existed.add(e.getKey());
          } else {
            throw new KafkaPipelineException("cannot create topic " + e.getKey() + ": "
                + ex.getCause().getMessage(), ex.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaPipelineException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new KafkaPipelineException("the broker at " + bootstrap + " did not create the topics"
          + " within " + TIMEOUT_SECONDS + " s", e);
    }
    return existed;
  }

  /** Deletes the topics; failures are ignored (they are benchmark leftovers). */
  static void deleteQuietly(String bootstrap, Set<String> topics) {
    try (Admin admin = admin(bootstrap)) {
      admin.deleteTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000));
  }
}
