package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live mode: the moving-face video read at its own pace, as a camera would deliver it, through a
 * detector made slow on purpose (a real BlazeFace call plus 100 ms per frame, so at most 10 fps
 * against 25 fps coming in). The pipeline must drop, count the drops, and keep latency bounded.
 */
class LiveModeTest {
  static final int FPS = 25;
  static final double SECONDS = 8;
  static final long DELAY_PER_FRAME_MS = 100;

  @TempDir
  static Path dir;
  static Path input;
  static Detector detector;

  @BeforeAll
  static void setUp() {
    input = dir.resolve("face-live.mp4");
    FacePath.make(input, FPS, SECONDS, true);
    detector = StreamTestData.openDetector();
  }

  @AfterAll
  static void tearDown() {
    detector.close();
  }

  /** The real detector, then a sleep: what a detector 2.5 times too slow looks like. */
  static StreamDetector slow(StreamDetector inner) {
    return frames -> {
      List<List<Detection>> r = inner.detect(frames);
      try {
        Thread.sleep(DELAY_PER_FRAME_MS * frames.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return r;
    };
  }

  @Test
  void aSlowDetectorMakesLiveModeDropFramesAndKeepLatencyBounded() throws Exception {
    Path out = dir.resolve("live-out.mp4");
    Path sidecar = dir.resolve("live.jsonl");
    PipelineOptions options = PipelineOptions.builder().mode(ProcessingMode.LIVE)
        .maxFramesInFlight(8).maxBatch(4).maxDelay(Duration.ofMillis(20)).build();
    PipelineResult result;
    long t0 = System.nanoTime();
    try (StreamPipeline p = StreamPipeline.builder().options(options)
        .detector(slow(StreamDetector.local(detector)))
        .stream(SourceOptions.builder(input.toString()).streamId("cam").build(), SinkOptions.of(out.toString()))
        .sidecar(sidecar).start()) {
      result = p.awaitCompletion();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.println("LiveModeTest:\n" + result.stats().report());
    assertTrue(result.ok(), () -> "failures: " + result.streams());
    StreamStats s = result.stream("cam").stats();

    // Paced like a camera: the run lasts about as long as the video.
    assertTrue(wall >= SECONDS * 0.9, "read in real time, took " + wall + " s");
    assertEquals(Math.round(FPS * SECONDS), s.framesIn());
    assertTrue(s.dropped() > s.framesIn() / 3, "a detector at 10 fps against 25 fps input drops most frames: " + s);
    assertEquals(s.framesIn(), s.framesOut() + s.dropped(), "every frame is written or counted as dropped");
    // Unbounded queueing would end about (1 - 10/25) x 8 s = 4.8 s behind. The bound: 8 frames in
    // flight, one batch of 4 in the detector (0.4 s + inference), on a loaded 2-core machine.
    assertTrue(s.latencyMaxMillis() < 2500, "glass-to-glass latency stays bounded: max " + s.latencyMaxMillis() + " ms");

    assertEquals((int) s.framesOut(), Tools.countFrames(out));
    List<Long> pts = Tools.packetPts(out, "v");
    for (int i = 1; i < pts.size(); i++) {
      assertTrue(pts.get(i) > pts.get(i - 1), "output pts go forward at " + i);
    }
    assertEquals("aac", Tools.audioCodec(out), "audio keeps flowing while video frames are dropped");

    // The boxes that were drawn and logged belong to the frames that survived, not to newer ones.
    List<SidecarLines.Line> lines = SidecarLines.read(sidecar);
    assertEquals(s.framesOut(), lines.size());
    int visible = 0;
    int matched = 0;
    long last = -1;
    boolean gap = false;
    for (SidecarLines.Line l : lines) {
      assertTrue(l.frame() > last, "frame numbers increase");
      gap |= l.frame() > last + 1;
      last = l.frame();
      assertEquals(l.frame() * 1_000_000 / FPS, l.ptsMicros(), 1, "frame " + l.frame() + " keeps its own pts");
      Box want = FacePath.expectedBox(l.ptsMicros());
      if (FacePath.fullyVisible(want)) {
        visible++;
        if (l.best() != null && l.best().iou(want) >= 0.5f) {
          matched++;
        }
      }
    }
    assertTrue(gap, "dropped frames leave gaps in the frame numbers");
    assertTrue(visible > 0 && matched >= 0.9 * visible, "boxes on the path: " + matched + " of " + visible);
  }

  @Test
  void aFailingDetectorInLiveModePassesFramesThroughUnannotated() throws Exception {
    Path out = dir.resolve("live-failing.mp4");
    Path sidecar = dir.resolve("live-failing.jsonl");
    StreamDetector broken = frames -> {
      throw new org.framecodec.transport.TransportException("inference service down (test)");
    };
    PipelineResult result;
    try (StreamPipeline p = StreamPipeline.builder()
        .options(PipelineOptions.builder().mode(ProcessingMode.LIVE).build())
        .detector(broken)
        .stream(SourceOptions.builder(input.toString()).streamId("cam").realtime(false).build(),
            SinkOptions.of(out.toString()))
        .sidecar(sidecar).start()) {
      Thread.sleep(1500);
      p.stop();
      result = p.awaitCompletion();
    }
    assertTrue(result.ok(), () -> "a detector outage does not end a live stream: " + result.streams());
    StreamStats s = result.stream("cam").stats();
    assertTrue(s.framesOut() > 0);
    assertEquals(s.framesOut(), s.notAnalysed());
    List<SidecarLines.Line> lines = SidecarLines.read(sidecar);
    assertEquals(s.framesOut(), lines.size());
    for (SidecarLines.Line l : lines) {
      assertFalse(l.analysed());
      assertEquals(0, l.detections());
    }
    assertEquals((int) s.framesOut(), Tools.countFrames(out));
  }

  @Test
  void aFailingDetectorInFileModeEndsTheStreamWithItsError() throws Exception {
    StreamDetector broken = frames -> {
      throw new org.framecodec.transport.TransportException("inference service down (test)");
    };
    PipelineResult result;
    try (StreamPipeline p = StreamPipeline.builder()
        .options(PipelineOptions.builder().mode(ProcessingMode.FILE).build())
        .detector(broken)
        .stream(SourceOptions.builder(input.toString()).streamId("cam").build(),
            SinkOptions.of(dir.resolve("file-failing.mp4").toString()))
        .start()) {
      result = p.await(Duration.ofSeconds(60)).orElseThrow();
    }
    StreamResult r = result.stream("cam");
    assertFalse(r.ok());
    assertTrue(r.failure().get() instanceof org.framecodec.transport.TransportException, r.failure().get().toString());
    assertTrue(r.failure().get().getMessage().contains("inference service down"));
  }

  @Test
  void aDetectorThatMiscountsIsAFailureNotAWrongFrame() throws Exception {
    StreamDetector miscounting = (List<EncodedFrame> frames) -> List.of();
    PipelineResult result;
    try (StreamPipeline p = StreamPipeline.builder()
        .options(PipelineOptions.builder().mode(ProcessingMode.FILE).build())
        .detector(miscounting)
        .stream(SourceOptions.builder(input.toString()).streamId("cam").build(),
            SinkOptions.of(dir.resolve("miscount.mp4").toString()))
        .start()) {
      result = p.await(Duration.ofSeconds(60)).orElseThrow();
    }
    StreamResult r = result.stream("cam");
    assertTrue(r.failure().isPresent());
    assertTrue(r.failure().get() instanceof StreamException);
    assertTrue(r.failure().get().getMessage().contains("returned 0 results"), r.failure().get().getMessage());
  }
}
