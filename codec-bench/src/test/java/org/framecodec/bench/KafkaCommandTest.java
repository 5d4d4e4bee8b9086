package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.bench.support.BundledFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code framecodec kafka ...}: usage errors without a broker, and the commands end to end against a real one. */
class KafkaCommandTest {
  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = FrameCodecCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhy() {
    Result none = cli("kafka");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("topics, produce, work, results, bench"), none.err());
    Result spec = cli("kafka", "topics", "--bootstrap", "127.0.0.1:1", "frames");
    assertEquals(2, spec.code());
    assertTrue(spec.err().contains("NAME:PARTITIONS"), spec.err());
    Result noBroker = cli("kafka", "produce", "x.png");
    assertEquals(2, noBroker.code());
    assertTrue(noBroker.err().contains("--bootstrap"), noBroker.err());
    Result phase = cli("kafka", "bench", "--bootstrap", "127.0.0.1:1", "--phases", "encode,warp");
    assertEquals(2, phase.code());
    assertTrue(phase.err().contains("warp"), phase.err());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void produceWorkAndResultsCarryAStreamThroughARealBroker() throws Exception {
    Path face = BundledFiles.orBundled(null, BundledFiles.ASTRONAUT, "--face");
    try (KafkaTestBroker broker = new KafkaTestBroker()) {
      String b = broker.bootstrap();
      Result topics = cli("kafka", "topics", "--bootstrap", b, "f:2", "d:2", "f.dlt:1");
      assertEquals(0, topics.code(), topics.err());
      assertTrue(topics.out().contains("f: created with 2 partitions"), topics.out());

      Result produce = cli("kafka", "produce", "--bootstrap", b, "--topic", "f", "--stream", "cam-9",
          "--repeat", "12", face.toString());
      assertEquals(0, produce.code(), produce.err());
      assertTrue(produce.out().contains("12 frames offered, 12 acked"), produce.out());

      Result work = cli("kafka", "work", "--bootstrap", b, "--frames", "f", "--results", "d",
          "--group", "cli-test", "--device", "cpu", "--batch", "4", "--seconds", "15");
      assertEquals(0, work.code(), work.err());
      assertTrue(work.out().contains("results 12"), work.out());

      Result results = cli("kafka", "results", "--bootstrap", b, "--topic", "d", "--stream", "cam-9",
          "--idle-seconds", "3");
      assertEquals(0, results.code(), results.err());
      List<String> lines = results.out().lines().toList();
      assertEquals(12, lines.size(), results.out());
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        assertTrue(line.startsWith("{\"stream\":\"cam-9\",\"frame\":" + i + ","), line);
        assertTrue(line.contains("\"class\":0"), "the astronaut's face in frame " + i + ": " + line);
      }
      assertTrue(results.err().contains("12 frames of stream cam-9"), results.err());
    }
  }
}
