package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Keypoint;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drawing boxes on frames in both kinds of memory, and the sidecar's lines read back. */
class AnnotatorAndSidecarTest {
  static final Detection FACE = new Detection(new Box(40, 30, 120, 110), 0.93f, 0,
      List.of(new Keypoint(60, 50), new Keypoint(100, 50)));

  static int[] bgr(Frame f, int x, int y) {
    return new int[] {f.get(x, y, 0), f.get(x, y, 1), f.get(x, y, 2)};
  }

  static void assertBoxDrawn(Frame f) {
    // Top edge at y = 30 and left edge at x = 40 are green; the middle of the box is untouched.
    assertEquals(255, bgr(f, 80, 30)[1], "top edge");
    assertEquals(0, bgr(f, 80, 30)[0]);
    assertEquals(255, bgr(f, 40, 70)[1], "left edge");
    assertEquals(255, bgr(f, 60, 50)[1], "keypoint dot");
    int[] inside = bgr(f, 80, 80);
    assertEquals(0, inside[0] + inside[1] + inside[2], "inside the box stays black");
    int[] outside = bgr(f, 150, 150);
    assertEquals(0, outside[0] + outside[1] + outside[2], "outside stays black");
  }

  @Test
  void drawsOnDirectAndArrayFramesAlike() {
    Frame direct = Frame.allocateDirect(PixelFormat.BGR, 200, 180);
    Annotator.defaults().draw(direct, List.of(FACE));
    assertBoxDrawn(direct);
    Frame array = Frame.allocate(PixelFormat.BGR, 200, 180);
    Annotator.defaults().draw(array, List.of(FACE));
    assertBoxDrawn(array);
    assertTrue(array.samePixels(direct), "the same pixels either way");
  }

  @Test
  void drawsOnlyBgrFrames() {
    Frame gray = Frame.allocate(PixelFormat.GRAY, 64, 64);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Annotator.defaults().draw(gray, List.of(FACE)))
        .getMessage().contains("GRAY"));
    assertThrows(IllegalArgumentException.class, () -> Annotator.builder().colour(256, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Annotator.builder().thickness(51));
  }

  @Test
  void sidecarLinesReadBackAsWritten(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.jsonl");
    try (SidecarWriter w = SidecarWriter.open(file)) {
      w.write("cam", 7, 280_000, 640, 360, List.of(FACE));
      w.writeNotAnalysed("cam", 8, 320_000, 640, 360, "service \"down\"\nagain");
      assertEquals(2, w.lines());
      w.close();
      assertThrows(IllegalStateException.class, () -> w.write("cam", 9, 0, 1, 1, List.of()));
    }
    List<SidecarLines.Line> lines = SidecarLines.read(file);
    assertEquals(2, lines.size(), "one object per line, even with a newline in an error text");
    SidecarLines.Line a = lines.get(0);
    assertEquals(7, a.frame());
    assertEquals(280_000, a.ptsMicros());
    assertTrue(a.analysed());
    assertEquals(1, a.detections());
    assertEquals(FACE.box(), a.best());
    assertEquals(0.93f, a.bestScore(), 1e-4);
    assertFalse(lines.get(1).analysed());
    assertEquals(0, lines.get(1).detections());
  }
}
