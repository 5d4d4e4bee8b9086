package org.framecodec.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka 4.4 broker (KRaft, combined) in the test JVM on loopback ports, data
 * in a temporary directory deleted on close. The same as codec-core's test {@code TestBroker},
 * which a bench test cannot reach (the modules share no test code), without the restart.
 */
final class KafkaTestBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final KafkaRaftServer server;

  KafkaTestBroker() throws Exception {
    dir = Files.createTempDirectory("framecodec-cli-kafka-");
    port = freePort();
    int controller = freePort();
    String log = dir.resolve("log").toString();
    Map<String, Object> c = new HashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
    c.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
    c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    c.put("log.dirs", log);
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "4");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    c.put("auto.create.topics.enable", "false");
    c.put("num.network.threads", "2");
    c.put("num.io.threads", "2");
    c.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 << 20));
    new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream())).setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString()).setDirectories(List.of(log))
        .setMetadataLogDirectory(log).setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).run();
    server = new KafkaRaftServer(new KafkaConfig(c, false), Time.SYSTEM);
    server.startup();
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
