package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.framecodec.Limits;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detector;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceServer;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several streams in one process sharing one detector, and the detector as a remote service:
 * ffmpeg's 720p25 and 1080p50 test patterns plus the moving face, in file mode, written as an
 * HLS playlist, an MP4 and an MPEG-TS file.
 */
class MultiStreamTest {
  @TempDir
  static Path dir;
  static Detector detector;
  static Path p720;
  static Path p1080;
  static Path face;

  @BeforeAll
  static void setUp() {
    detector = StreamTestData.openDetector();
    p720 = dir.resolve("pattern-720p25.mp4");
    p1080 = dir.resolve("pattern-1080p50.mp4");
    face = dir.resolve("face.mp4");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast",
        "-bf", "0", "-c:a", "aac", p720.toString());
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=50", "-t", "1.5", "-c:v", "libx264",
        "-preset", "ultrafast", "-bf", "0", p1080.toString());
    FacePath.make(face, 25, 3, false);
  }

  @AfterAll
  static void tearDown() {
    detector.close();
  }

  @Test
  void threeStreamsShareOneDetectorAndEachKeepsItsFramesAndOrder() throws Exception {
    Path sidecar = dir.resolve("three.jsonl");
    Path hls = java.nio.file.Files.createDirectories(dir.resolve("hls")).resolve("hd.m3u8");
    PipelineResult result;
    try (StreamPipeline p = StreamPipeline.builder()
        .options(PipelineOptions.builder().mode(ProcessingMode.FILE).maxBatch(8).build())
        .detector(StreamDetector.local(detector))
        .stream(SourceOptions.builder(p720.toString()).streamId("hd").build(),
            SinkOptions.builder(hls.toString()).ffmpegOption("hls_time", "1").build())
        .stream(SourceOptions.builder(p1080.toString()).streamId("fullhd").build(),
            SinkOptions.of(dir.resolve("fullhd-out.mp4").toString()))
        .stream(SourceOptions.builder(face.toString()).streamId("face").build(),
            SinkOptions.of(dir.resolve("face-out.ts").toString()))
        .sidecar(sidecar).start()) {
      result = p.await(Duration.ofMinutes(3)).orElseThrow();
    }
    System.out.println("MultiStreamTest:\n" + result.stats().report());
    assertTrue(result.ok(), () -> result.streams().toString());
    assertEquals(75, result.stream("hd").stats().framesOut());
    assertEquals(75, result.stream("fullhd").stats().framesOut());
    assertEquals(75, result.stream("face").stats().framesOut());
    assertEquals("h264,1280,720", Tools.videoFormat(hls), "an HLS playlist with its segments");
    assertEquals("aac", Tools.audioCodec(hls));
    assertEquals(75, Tools.countFrames(hls));
    assertTrue(java.nio.file.Files.exists(hls.resolveSibling("hd1.ts")), "3 s in 1 s segments");
    assertEquals("h264,1920,1080", Tools.videoFormat(dir.resolve("fullhd-out.mp4")));
    assertEquals("", Tools.audioCodec(dir.resolve("fullhd-out.mp4")), "no audio in, none out");
    assertEquals(75, Tools.countFrames(dir.resolve("fullhd-out.mp4")));
    List<Long> pts = Tools.packetPts(dir.resolve("fullhd-out.mp4"), "v");
    for (int i = 0; i < pts.size(); i++) {
      assertEquals(i * 20_000L, pts.get(i), 20, "50 fps pts of frame " + i);
    }
    List<SidecarLines.Line> all = SidecarLines.read(sidecar);
    for (String id : List.of("hd", "fullhd", "face")) {
      List<SidecarLines.Line> lines = SidecarLines.of(all, id);
      assertEquals(75, lines.size(), id);
      for (int i = 0; i < lines.size(); i++) {
        assertEquals(i, lines.get(i).frame(), id + " lines in frame order");
      }
    }
    long mixed = result.stats().batcher().batches();
    assertTrue(result.stats().batcher().delivered() == 225 && mixed < 225, "frames were batched: " + result.stats().batcher());
  }

  @Test
  void theDetectorCanBeARemoteServiceOverHttp() throws Exception {
    Path sidecar = dir.resolve("remote.jsonl");
    PipelineResult result;
    try (InferenceServer server = InferenceServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), detector, Limits.defaults())) {
      InferenceClient client = InferenceClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(30)).build();
      try (StreamPipeline p = StreamPipeline.builder()
          .detector(StreamDetector.remote(client, Framing.RAW))
          .stream(SourceOptions.builder(face.toString()).streamId("face").build(),
              SinkOptions.of(dir.resolve("remote-out.mp4").toString()))
          .sidecar(sidecar).start()) {
        result = p.await(Duration.ofMinutes(2)).orElseThrow();
      }
    }
    assertTrue(result.ok(), () -> result.streams().toString());
    List<SidecarLines.Line> lines = SidecarLines.read(sidecar);
    assertEquals(75, lines.size());
    int visible = 0;
    int matched = 0;
    for (SidecarLines.Line l : lines) {
      Box want = FacePath.expectedBox(l.ptsMicros());
      if (FacePath.fullyVisible(want)) {
        visible++;
        if (l.best() != null && l.best().iou(want) >= 0.5f) {
          matched++;
        }
      }
    }
    assertTrue(visible > 20 && matched >= 0.95 * visible, "remote boxes on the path: " + matched + " of " + visible);
  }
}
