package org.framecodec.bench.kafka;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code framecodec kafka topics}: creates {@code NAME:PARTITIONS} topics, for trying the other commands. */
public final class KafkaTopicsCommand {
  private KafkaTopicsCommand() {}

  /**
   * Checks {@code NAME:PARTITIONS} specs without contacting a broker.
   *
   * @throws IllegalArgumentException naming the first malformed spec
   */
  public static void parse(List<String> specs) {
    KafkaTopics.parse(specs);
  }

  /** Creates the topics; topics that exist already are reported, not changed. Returns 0. */
  public static int run(String bootstrap, List<String> specs, short replication, PrintWriter out) {
    Map<String, Integer> topics = KafkaTopics.parse(specs);
    List<String> existed = KafkaTopics.create(bootstrap, topics, replication);
    topics.forEach((name, partitions) -> out.println(name + ": " + (existed.contains(name)
        ? "exists already" : "created with " + partitions + " partitions")));
    out.flush();
    return 0;
  }
}
