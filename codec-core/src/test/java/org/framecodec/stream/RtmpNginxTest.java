package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a real RTMP server: Debian's nginx with libnginx-mod-rtmp on a loopback port, Debian's
 * ffmpeg publishing the moving-face video to it in real time, the pipeline pulling, annotating
 * and (in the first test) publishing back to the same server, and ffmpeg reading the annotated
 * stream back. Then the failures a live source has: the server going away, the publisher
 * stalling, the publisher restarting.
 */
class RtmpNginxTest {
  @TempDir
  static Path shared;
  static Path face;
  static Detector detector;

  @TempDir
  Path dir;
  RtmpServer server;
  Process publisher;

  @BeforeAll
  static void makeVideo() {
    face = shared.resolve("face-8s.mp4");
    FacePath.make(face, 25, 8, true);
    detector = StreamTestData.openDetector();
  }

  @AfterAll
  static void closeDetector() {
    detector.close();
  }

  @BeforeEach
  void startServer() throws Exception {
    server = RtmpServer.start(dir.resolve("nginx"));
  }

  @AfterEach
  void stopAll() throws Exception {
    if (publisher != null) {
      signal(publisher, "CONT");
      publisher.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    server.close();
  }

  /** {@code ffmpeg -re -i face -c copy -f flv URL}: a live publisher in real time, 8 s. */
  Process publish(String name, Path log) {
    return publish(name, log, false);
  }

  /** The same, looping the clip until killed when {@code endless}. */
  Process publish(String name, Path log, boolean endless) {
    List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-re"));
    if (endless) {
      cmd.addAll(List.of("-stream_loop", "-1"));
    }
    cmd.addAll(List.of("-i", face.toString(), "-c", "copy", "-f", "flv", server.url(name)));
    return Tools.start(log, cmd);
  }

  static void signal(Process p, String sig) throws Exception {
    if (p.isAlive()) {
      new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Waits up to {@code seconds} for {@code condition}; fails with {@code what} otherwise. */
  static void waitUntil(double seconds, String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(100);
    }
  }

  static SourceOptions.Builder rtmpSource(String url) {
    return SourceOptions.builder(url).streamId("live").openTimeout(Duration.ofSeconds(3))
        .readTimeout(Duration.ofSeconds(1));
  }

  static PipelineOptions live() {
    return PipelineOptions.builder().mode(ProcessingMode.LIVE).build();
  }

  static double pathShare(List<SidecarLines.Line> lines) {
    int visible = 0;
    int matched = 0;
    for (SidecarLines.Line l : lines) {
      Box want = FacePath.expectedBox(l.ptsMicros() % 8_000_000);
      if (FacePath.fullyVisible(want)) {
        visible++;
        if (l.best() != null && l.best().iou(want) >= 0.5f) {
          matched++;
        }
      }
    }
    return visible == 0 ? 0 : (double) matched / visible;
  }

  @Test
  void pullsAnnotatesAndPublishesBackThroughNginx() throws Exception {
    publisher = publish("in", dir.resolve("publisher.log"));
    Thread.sleep(1000);
    Path recorded = dir.resolve("recorded.flv");
    Path sidecar = dir.resolve("rtmp.jsonl");
    PipelineResult result;
    Process reader;
    try (StreamPipeline p = StreamPipeline.builder().options(live())
        .detector(StreamDetector.local(detector))
        .stream(rtmpSource(server.url("in")).reconnect(ReconnectPolicy.of(1, Duration.ofMillis(200),
            Duration.ofMillis(200), 1)).build(), SinkOptions.of(server.url("out")))
        .sidecar(sidecar).start()) {
      // Once the annotated stream is published, ffmpeg plays it back from the server and records
      // it; 3 s after the stream ends its read times out and it finishes the file.
      waitUntil(20, "the annotated stream is published", () -> p.stats().stream("live").framesOut() > 0);
      reader = Tools.start(dir.resolve("reader.log"), List.of("ffmpeg", "-y", "-v", "error", "-nostdin",
          "-rw_timeout", "3000000", "-i", server.url("out"), "-c", "copy", recorded.toString()));
      result = p.await(Duration.ofSeconds(40)).orElseThrow(() -> new AssertionError("no end within 40 s"));
    }
    assertTrue(reader.waitFor(20, TimeUnit.SECONDS), () -> "the reader finishes its recording: "
        + Tools.tail(dir.resolve("reader.log")));
    System.out.println("RtmpNginxTest:\n" + result.stats().report());
    StreamResult r = result.stream("live");
    // A live source has no end of file: when the publisher leaves and does not come back within
    // the reconnect policy, the stream ends with the typed error for a source that is gone.
    assertInstanceOf(SourceUnavailableException.class, r.failure().orElseThrow(), r.toString());
    StreamStats s = r.stats();
    // 8 s published; the pull joins about 1 s in and starts at the next key frame (2 s GOP).
    assertTrue(s.framesIn() >= 100, "frames pulled from nginx: " + s);
    assertEquals(s.framesIn(), s.framesOut() + s.dropped());
    assertTrue(s.audioOut() > 0, "audio passed through: " + s);

    // The player starts at a key frame some time after it joined, and nginx restarts each
    // player's clock at 0. From its first frame on it must have every frame the pipeline
    // published, in order, spaced as the pipeline's timestamps are (FLV keeps milliseconds).
    int played = Tools.countFrames(recorded);
    List<Long> recordedPts = new java.util.ArrayList<>(Tools.packetPts(recorded, "v"));
    recordedPts.sort(null);
    List<SidecarLines.Line> lines = SidecarLines.read(sidecar);
    assertTrue(played >= 10 && played == recordedPts.size(), "ffmpeg read " + played + " frames back; " + s);
    assertTrue(played <= lines.size());
    List<SidecarLines.Line> tail = lines.subList(lines.size() - played, lines.size());
    long offset = tail.get(0).ptsMicros() - recordedPts.get(0);
    for (int i = 0; i < played; i++) {
      assertEquals(tail.get(i).ptsMicros(), recordedPts.get(i) + offset, 1500,
          "frame " + i + " read back from nginx is the pipeline's frame " + tail.get(i).frame());
    }
    assertEquals("h264,640,360", Tools.videoFormat(recorded));
    assertEquals("aac", Tools.audioCodec(recorded));
    List<Long> pts = Tools.packetPts(recorded, "v");
    for (int i = 1; i < pts.size(); i++) {
      assertTrue(pts.get(i) > pts.get(i - 1), "pts go forward at " + i);
    }
    double share = pathShare(lines);
    assertTrue(share >= 0.95, "boxes on the path over RTMP: " + share);
  }

  @Test
  void theServerGoingAwayMidStreamEndsTheStreamWithATypedErrorAndAPlayableFile() throws Exception {
    publisher = publish("in", dir.resolve("publisher.log"));
    Thread.sleep(1000);
    Path out = dir.resolve("cut.mp4");
    PipelineResult result;
    long killedAt;
    try (StreamPipeline p = StreamPipeline.builder().options(live())
        .detector(StreamDetector.local(detector))
        .stream(rtmpSource(server.url("in")).reconnect(ReconnectPolicy.of(2, Duration.ofMillis(200),
            Duration.ofMillis(400), 2)).build(), SinkOptions.of(out.toString()))
        .start()) {
      waitUntil(20, "25 frames through before the server dies",
          () -> p.stats().stream("live").framesOut() >= 25);
      server.kill();
      killedAt = System.nanoTime();
      result = p.await(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("no end within 30 s"));
    }
    double afterKill = (System.nanoTime() - killedAt) / 1e9;
    StreamResult r = result.stream("live");
    SourceUnavailableException e = assertInstanceOf(SourceUnavailableException.class, r.failure().orElseThrow());
    assertEquals(3, e.attempts(), e.getMessage());
    assertTrue(afterKill < 10, "ended " + afterKill + " s after the server died");
    // The kill comes once 25 frames are out; on a quick machine none may follow it.
    assertTrue(r.stats().framesOut() >= 25, r.stats().toString());
    assertEquals((int) r.stats().framesOut(), Tools.countFrames(out), "the file is finished and plays");
  }

  @Test
  void aStalledPublisherIsDetectedByTheReadTimeoutAndTheStreamResumes() throws Exception {
    publisher = publish("in", dir.resolve("publisher.log"), true);
    Thread.sleep(1000);
    Path out = dir.resolve("stalled.mp4");
    Path sidecar = dir.resolve("stalled.jsonl");
    PipelineResult result;
    long framesBeforeStall;
    try (StreamPipeline p = StreamPipeline.builder().options(live())
        .detector(StreamDetector.local(detector))
        .stream(rtmpSource(server.url("in")).reconnect(ReconnectPolicy.of(20, Duration.ofMillis(200),
            Duration.ofMillis(500), 1.5)).build(), SinkOptions.of(out.toString()))
        .sidecar(sidecar).start()) {
      waitUntil(20, "frames flow before the stall", () -> p.stats().stream("live").framesIn() >= 25);
      signal(publisher, "STOP");
      framesBeforeStall = p.stats().stream("live").framesIn();
      Thread.sleep(3000);
      assertTrue(p.stats().stream("live").framesIn() <= framesBeforeStall + 30,
          "nothing comes while the publisher is stopped: " + p.stats().stream("live"));
      signal(publisher, "CONT");
      waitUntil(20, "frames flow again after the stall",
          () -> p.stats().stream("live").framesIn() > framesBeforeStall + 50);
      p.stop();
      result = p.await(Duration.ofSeconds(30)).orElseThrow();
    }
    StreamResult r = result.stream("live");
    assertTrue(r.ok(), r.toString());
    StreamStats s = r.stats();
    assertTrue(s.reconnects() >= 1, "3 s of silence with a 1 s read timeout was a lost connection: " + s);
    List<Long> pts = Tools.packetPts(out, "v");
    for (int i = 1; i < pts.size(); i++) {
      assertTrue(pts.get(i) > pts.get(i - 1), "pts go forward across the reconnection at " + i);
    }
    assertEquals((int) s.framesOut(), Tools.countFrames(out));
  }

  @Test
  void aRestartedPublisherIsPickedUpAndTimeKeepsMovingForward() throws Exception {
    publisher = publish("in", dir.resolve("publisher1.log"), true);
    Thread.sleep(1000);
    Path out = dir.resolve("restarted.mp4");
    Path sidecar = dir.resolve("restarted.jsonl");
    PipelineResult result;
    try (StreamPipeline p = StreamPipeline.builder().options(live())
        .detector(StreamDetector.local(detector))
        .stream(rtmpSource(server.url("in")).reconnect(ReconnectPolicy.of(10, Duration.ofMillis(200),
            Duration.ofMillis(500), 1.5)).build(), SinkOptions.of(out.toString()))
        .sidecar(sidecar).start()) {
      waitUntil(20, "frames of the first session", () -> p.stats().stream("live").framesOut() >= 25);
      publisher.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      long firstSession = p.stats().stream("live").framesIn();
      Thread.sleep(1000);
      // The new publisher's clock starts at 0 again.
      publisher = publish("in", dir.resolve("publisher2.log"), true);
      waitUntil(20, "frames of the second session",
          () -> p.stats().stream("live").framesIn() > firstSession + 50);
      p.stop();
      result = p.await(Duration.ofSeconds(30)).orElseThrow();
    }
    StreamResult r = result.stream("live");
    assertTrue(r.ok(), r.toString());
    StreamStats s = r.stats();
    assertTrue(s.reconnects() >= 1, s.toString());
    List<SidecarLines.Line> lines = SidecarLines.read(sidecar);
    for (int i = 1; i < lines.size(); i++) {
      assertTrue(lines.get(i).ptsMicros() > lines.get(i - 1).ptsMicros(), "sidecar pts go forward at " + i);
    }
    assertTrue(lines.get(lines.size() - 1).ptsMicros() > lines.get(0).ptsMicros() + 3_000_000,
        "the second session continues after the first: pts " + lines.get(0).ptsMicros() + " to "
            + lines.get(lines.size() - 1).ptsMicros());
    List<Long> pts = Tools.packetPts(out, "v");
    for (int i = 1; i < pts.size(); i++) {
      assertTrue(pts.get(i) > pts.get(i - 1), "output pts go forward at " + i);
    }
    assertEquals((int) s.framesOut(), Tools.countFrames(out));
  }
}
