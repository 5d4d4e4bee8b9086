package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File mode end to end on the moving-face video (640x360, 25 fps, 20 s, AAC sine tone) made by
 * Debian's ffmpeg: one pipeline run, checked from several sides with ffprobe and the sidecar.
 * The 10-minute run the issue asks about is in docs/streaming.md; this is its CI-sized version.
 */
class FileModeFacePathTest {
  static final int FPS = 25;
  static final double SECONDS = 20;

  @TempDir
  static Path dir;
  static Path input;
  static Path output;
  static Path sidecar;
  static PipelineResult result;
  static List<SidecarLines.Line> lines;

  @BeforeAll
  static void runPipeline() throws Exception {
    input = dir.resolve("face.mp4");
    output = dir.resolve("annotated.mp4");
    sidecar = dir.resolve("faces.jsonl");
    FacePath.make(input, FPS, SECONDS, true);
    try (Detector detector = StreamTestData.openDetector();
        StreamPipeline p = StreamPipeline.builder()
            .options(PipelineOptions.builder().mode(ProcessingMode.FILE).build())
            .detector(StreamDetector.local(detector))
            .stream(SourceOptions.builder(input.toString()).streamId("face").build(),
                SinkOptions.of(output.toString()))
            .sidecar(sidecar)
            .start()) {
      result = p.awaitCompletion();
    }
    lines = SidecarLines.read(sidecar);
  }

  @AfterAll
  static void report() {
    if (result != null) {
      System.out.println("FileModeFacePathTest:\n" + result.stats().report());
    }
  }

  @Test
  void theStreamEndsNormallyWithNothingDropped() {
    assertTrue(result.ok(), () -> "failures: " + result.streams());
    StreamStats s = result.stream("face").stats();
    assertEquals(s.framesIn(), s.framesOut());
    assertEquals(0, s.dropped());
    assertEquals(0, s.notAnalysed());
    assertTrue(s.finished());
  }

  @Test
  void everyInputFrameIsWrittenWithItsOwnPts() {
    List<Long> in = sorted(Tools.packetPts(input, "v"));
    List<Long> out = sorted(Tools.packetPts(output, "v"));
    assertEquals(Math.round(FPS * SECONDS), in.size(), "the generated input's frame count");
    assertEquals(in.size(), Tools.countFrames(output), "decodable frames in the output");
    assertEquals(in.size(), out.size());
    for (int i = 0; i < in.size(); i++) {
      // The output clock is 90 kHz: 11 us of rounding at most.
      assertEquals(in.get(i), out.get(i), 20, "pts of frame " + i);
    }
    List<Long> fileOrder = Tools.packetPts(output, "v");
    for (int i = 1; i < fileOrder.size(); i++) {
      assertTrue(fileOrder.get(i) > fileOrder.get(i - 1), "pts go forward at packet " + i + ": " + fileOrder.subList(i - 1, i + 1));
    }
    assertEquals("h264,640,360", Tools.videoFormat(output));
  }

  @Test
  void sidecarHasOneLinePerFrameInOrder() {
    List<Long> in = sorted(Tools.packetPts(input, "v"));
    assertEquals(in.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      SidecarLines.Line l = lines.get(i);
      assertEquals("face", l.stream());
      assertEquals(i, l.frame());
      assertEquals(in.get(i), l.ptsMicros(), 1, "sidecar pts of frame " + i);
      assertEquals(640, l.width());
      assertEquals(360, l.height());
      assertTrue(l.analysed());
    }
  }

  @Test
  void sidecarBoxesFollowTheKnownPathOfTheFace() {
    int visible = 0;
    int matched = 0;
    List<String> misses = new ArrayList<>();
    for (SidecarLines.Line l : lines) {
      Box want = FacePath.expectedBox(l.ptsMicros());
      if (!FacePath.fullyVisible(want)) {
        continue;
      }
      visible++;
      float iou = l.best() == null ? 0 : l.best().iou(want);
      if (iou >= 0.5f) {
        matched++;
      } else if (misses.size() < 10) {
        misses.add("frame " + l.frame() + ": " + l.best() + " vs " + want + " IoU " + iou);
      }
    }
    assertTrue(visible >= 0.5 * lines.size(), "the path keeps the face in view most of the time: " + visible);
    assertTrue(visible < lines.size(), "and takes part of it out of the frame sometimes");
    double share = (double) matched / visible;
    assertTrue(share >= 0.95, "IoU >= 0.5 on " + matched + " of " + visible + " fully visible frames; " + misses);
  }

  @Test
  void audioIsPassedThroughAlignedWithoutDrift() {
    assertEquals("aac", Tools.audioCodec(output));
    List<Long> inA = Tools.packetPts(input, "a");
    List<Long> outA = Tools.packetPts(output, "a");
    List<Long> inV = sorted(Tools.packetPts(input, "v"));
    List<Long> outV = sorted(Tools.packetPts(output, "v"));
    assertEquals(inA.size(), outA.size(), "every audio packet is passed through");
    long inStart = inA.get(0) - inV.get(0);
    long outStart = outA.get(0) - outV.get(0);
    assertTrue(Math.abs(outStart) <= Math.abs(inStart) + 1000,
        "first audio vs video pts: output " + outStart + " us, input " + inStart + " us");
    long framePeriod = 1_000_000 / FPS;
    long inEnd = inA.get(inA.size() - 1) - inV.get(inV.size() - 1);
    long outEnd = outA.get(outA.size() - 1) - outV.get(outV.size() - 1);
    long drift = (outEnd - outStart) - (inEnd - inStart);
    assertTrue(Math.abs(drift) < framePeriod, "drift over the run " + drift + " us, frame period " + framePeriod);
    for (int i = 0; i < inA.size(); i++) {
      assertEquals(inA.get(i), outA.get(i), 50, "audio packet " + i + " keeps its time");
    }
  }

  @Test
  void boxesAreDrawnOnTheFrameThatWasAnalysed() {
    int checked = 0;
    for (SidecarLines.Line l : lines) {
      if (l.best() == null || l.frame() % 97 != 0) {
        continue;
      }
      byte[] px = Tools.frameBgr(output, (int) l.frame(), 640, 360);
      Box b = l.best().clip(640, 360);
      // The top edge of the box is drawn 2 px thick in pure green about row y1; H.264 keeps it
      // clearly green. Rows y1 - 1 .. y1 + 1 are searched for it.
      int y = Math.round(b.y1());
      int green = 0;
      int samples = 0;
      for (int x = Math.round(b.x1()) + 8; x < Math.round(b.x2()) - 8; x += 4) {
        samples++;
        for (int row = Math.max(0, y - 1); row <= Math.min(359, y + 1); row++) {
          int i = (row * 640 + x) * 3;
          int bl = px[i] & 0xff;
          int g = px[i + 1] & 0xff;
          int r = px[i + 2] & 0xff;
          if (g > 150 && g > bl + 60 && g > r + 60) {
            green++;
            break;
          }
        }
      }
      assertTrue(samples > 5 && green >= 0.8 * samples,
          "frame " + l.frame() + ": " + green + " of " + samples + " pixels on the top edge of " + b + " are box green");
      checked++;
    }
    assertTrue(checked >= 3, "frames checked: " + checked);
  }

  @Test
  void everyStageIsTimed() {
    PipelineStats stats = result.stats();
    long frames = result.stream("face").stats().framesOut();
    for (Stage s : Stage.values()) {
      StageStats st = stats.stage(s);
      assertEquals(frames, st.frames(), s + " counts every frame");
      assertTrue(st.meanMillis() >= 0 && st.p99Millis() >= st.p50Millis(), st.toString());
    }
    assertTrue(stats.stage(Stage.DETECT).meanMillis() > 0);
    assertTrue(stats.stage(Stage.SINK).meanMillis() > 0);
  }

  private static List<Long> sorted(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    s.sort(null);
    return s;
  }
}
