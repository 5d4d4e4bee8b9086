package org.framecodec.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka 4.4 node in this JVM, in KRaft mode (controller and broker combined, as the
 * quick-start runs it), listening on loopback only, with its data in a temporary directory that
 * {@link #close()} deletes. Nothing is downloaded at run time: the broker is the
 * {@code kafka_2.13} jar from Maven Central.
 *
 * <p>{@link #stop()} and {@link #restart()} take the whole node down and bring it back on the
 * same ports and data, as an operator's restart or a crash-and-recover would; clients see the
 * broker vanish and come back at the same address.
 *
 * <p>Not thread-safe; one test class owns one broker. Public for codec-bench's tests, which
 * reach it through codec-core's test jar.
 */
public final class TestBroker implements AutoCloseable {
  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private final Map<String, Object> config;
  private KafkaRaftServer server;

  private TestBroker(Path dir, int brokerPort, int controllerPort, Map<String, Object> config) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.config = config;
  }

  /** Formats a new data directory, starts the node and waits until a client can use it. */
  public static TestBroker start() throws Exception {
    Path dir = Files.createTempDirectory("framecodec-kafka-");
    int brokerPort = freeLoopbackPort();
    int controllerPort = freeLoopbackPort();
    String logDir = dir.resolve("log").toString();
    Map<String, Object> c = new HashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    c.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    c.put("log.dirs", logDir);
    // One node: internal topics cannot have more replicas than that.
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "4");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    // Lets the tests' consumers use session timeouts of a few seconds instead of 45.
    c.put("group.min.session.timeout.ms", "2000");
    c.put("auto.create.topics.enable", "false");
    c.put("num.network.threads", "2");
    c.put("num.io.threads", "2");
    c.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 << 20));
    c.put("log.cleaner.threads", "1");
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(logDir))
        .setMetadataLogDirectory(logDir)
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
    TestBroker broker = new TestBroker(dir, brokerPort, controllerPort, Map.copyOf(c));
    try {
      broker.restart();
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** {@code 127.0.0.1:PORT}; the same across {@link #restart()}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Creates topics of {@code partitions} partitions each, and waits until they exist. */
  public void createTopics(int partitions, String... names) throws Exception {
    try (Admin admin = admin()) {
      List<NewTopic> topics = Arrays.stream(names)
          .map(n -> new NewTopic(n, partitions, (short) 1)).toList();
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers(),
        "default.api.timeout.ms", "60000", "request.timeout.ms", "30000"));
  }

  /** Stops the node; its data stays on disk for {@link #restart()}. Idempotent. */
  void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** Starts the node (again) on the same ports and data, and waits until it serves metadata. */
  void restart() throws Exception {
    if (server != null) {
      throw new IllegalStateException("the broker is running");
    }
    server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    server.startup();
    awaitReady();
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Exception last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          last = e;
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the test broker did not become ready in 120 s", last);
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public String toString() {
    return "TestBroker{" + bootstrapServers() + ", controller " + controllerPort + ", " + dir + "}";
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
