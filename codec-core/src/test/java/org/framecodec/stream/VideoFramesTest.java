package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VideoFrames}, the source on its own: a clip Debian's ffmpeg makes (2 s of 320x240 at
 * 25 fps with a sine tone, no B-frames so decode order is display order) read frame by frame and
 * compared with what ffprobe and ffmpeg themselves report.
 */
class VideoFramesTest {
  @TempDir
  static Path dir;
  static Path clip;

  @BeforeAll
  static void makeClip() {
    clip = dir.resolve("clip.mp4");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
        "-bf", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", clip.toString());
  }

  @Test
  void everyFrameComesWithTheContainersTimestampAndTheDecodersPixels() throws Exception {
    List<Long> expected = Tools.packetPts(clip, "v");
    byte[] tenth = Tools.frameBgr(clip, 10, 320, 240);
    List<Long> pts = new ArrayList<>();
    try (VideoFrames video = VideoFrames.open(SourceOptions.builder(clip.toString()).build(), ProcessingMode.FILE)) {
      while (video.next()) {
        Frame f = video.frame();
        assertEquals(PixelFormat.BGR, f.format());
        assertEquals(320, f.width());
        assertEquals(240, f.height());
        assertEquals(pts.size(), video.frameNumber());
        pts.add(video.ptsMicros());
        if (video.frameNumber() == 10) {
          // Two builds of swscale (FFmpeg 8 here, Debian's 5.1 in the CLI) may round the colour
          // conversion differently by a level or two; a wrong or shifted frame differs by tens.
          byte[] ours = f.toByteArray();
          long sum = 0;
          for (int i = 0; i < ours.length; i++) {
            sum += Math.abs((ours[i] & 0xff) - (tenth[i] & 0xff));
          }
          double mean = (double) sum / ours.length;
          assertTrue(mean < 2.0, "frame 10 differs from ffmpeg's by " + mean + " levels on average");
        }
      }
    }
    assertEquals(50, pts.size());
    assertEquals(expected, pts);
  }

  @Test
  void theFrameIsOnlyThereBetweenNextAndClose() throws Exception {
    VideoFrames video = VideoFrames.open(SourceOptions.builder(clip.toString()).build(), ProcessingMode.FILE);
    assertThrows(IllegalStateException.class, video::frame);
    assertTrue(video.next());
    assertEquals(0, video.frameNumber());
    video.close();
    assertThrows(IllegalStateException.class, video::frame);
    assertThrows(IllegalStateException.class, video::next);
    video.close();
  }

  @Test
  void stopEndsALiveReadEarly() throws Exception {
    try (VideoFrames video = VideoFrames.open(SourceOptions.builder(clip.toString()).build(), ProcessingMode.LIVE)) {
      assertTrue(video.next());
      assertTrue(video.next());
      video.stop();
      assertFalse(video.next());
    }
  }

  @Test
  void aMissingFileIsUnavailable() {
    try (VideoFrames video = VideoFrames.open(
        SourceOptions.builder(dir.resolve("absent.mp4").toString()).build(), ProcessingMode.FILE)) {
      SourceUnavailableException e = assertThrows(SourceUnavailableException.class, video::next);
      assertTrue(e.getMessage().contains("absent.mp4"), e.getMessage());
    }
  }
}
