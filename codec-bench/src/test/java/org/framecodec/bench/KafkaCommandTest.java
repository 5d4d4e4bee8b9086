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
import org.framecodec.kafka.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code framecodec kafka ...}: usage errors without a broker, and the commands end to end against a real one. */
class KafkaCommandTest {
  @TempDir
  Path tmp;

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
    Result both = cli("kafka", "produce", "--bootstrap", "127.0.0.1:1", "--in", "x.mp4", "x.png");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("not both"), both.err());
    Result phase = cli("kafka", "bench", "--bootstrap", "127.0.0.1:1", "--phases", "encode,warp");
    assertEquals(2, phase.code());
    assertTrue(phase.err().contains("warp"), phase.err());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void produceWorkAndResultsCarryAStreamThroughARealBroker() throws Exception {
    Path face = BundledFiles.orBundled(null, BundledFiles.ASTRONAUT, "--face");
    try (TestBroker broker = TestBroker.start()) {
      String b = broker.bootstrapServers();
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

      // A video instead of images: every decoded frame, numbered from 0, with its container pts.
      Path clip = tmp.resolve("clip.mp4");
      StreamCommandTest.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "1", "-c:v", "libx264",
          "-preset", "ultrafast", "-bf", "0", clip.toString());
      Result video = cli("kafka", "produce", "--bootstrap", b, "--topic", "f", "--stream", "cam-v", "--in",
          clip.toString());
      assertEquals(0, video.code(), video.err());
      assertTrue(video.out().contains("10 frames offered, 10 acked"), video.out());
      Result work2 = cli("kafka", "work", "--bootstrap", b, "--frames", "f", "--results", "d",
          "--group", "cli-test", "--device", "cpu", "--batch", "4", "--seconds", "12");
      assertEquals(0, work2.code(), work2.err());
      assertTrue(work2.out().contains("results 10"), work2.out());
      Result videoResults = cli("kafka", "results", "--bootstrap", b, "--topic", "d", "--stream", "cam-v",
          "--idle-seconds", "3");
      List<String> videoLines = videoResults.out().lines().toList();
      assertEquals(10, videoLines.size(), videoResults.out());
      for (int i = 0; i < videoLines.size(); i++) {
        assertTrue(videoLines.get(i).startsWith("{\"stream\":\"cam-v\",\"frame\":" + i + ",\"pts\":" + i * 100_000 + ","),
            videoLines.get(i));
      }
    }
  }
}
