package org.framecodec.stream;

import java.nio.file.Path;
import java.util.Locale;
import org.framecodec.detect.Box;

/**
 * A test video made by Debian's ffmpeg: a moving test pattern ({@code testsrc2}) with the
 * astronaut's face composited on top, moving on a known path, and a 440 Hz sine tone. The crop
 * around the face is scaled so that the front BlazeFace model (128x128 input) finds it at 640x360;
 * the path leaves the frame at the left and right, so some frames show only part of the face.
 *
 * <p>{@link #expectedBox(long)} is where the face is at a presentation time: the reference
 * detection on the original image, carried through the same crop, scale and overlay position that
 * ffmpeg's filter computes from the same expression.
 */
final class FacePath {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  /** The square cut around the face from astronaut-512.png, and its size in the video. */
  static final int CROP_X = 128;
  static final int CROP_Y = 32;
  static final int CROP = 192;
  static final int SIZE = 224;
  private static final double SCALE = (double) SIZE / CROP;
  private static final double PERIOD_X = 8;
  private static final double PERIOD_Y = 5;

  private FacePath() {}

  /** ffmpeg's overlay x expression (W, w: frame and overlay widths; t: seconds). */
  static String xExpr() {
    return String.format(Locale.ROOT, "(W-w)*(0.5+0.75*sin(2*PI*t/%s))", PERIOD_X);
  }

  static String yExpr() {
    return String.format(Locale.ROOT, "(H-h)*(0.5+0.5*sin(2*PI*t/%s))", PERIOD_Y);
  }

  /** Writes {@code seconds} of the video at {@code fps} to {@code out} (H.264 + AAC in the container the name implies). */
  static void make(Path out, int fps, double seconds, boolean audio) {
    String filter = String.format(Locale.ROOT,
        "[1:v]crop=%d:%d:%d:%d,scale=%d:%d[f];[0:v][f]overlay=x='%s':y='%s':eval=frame:shortest=1,format=yuv420p[v]",
        CROP, CROP, CROP_X, CROP_Y, SIZE, SIZE, xExpr(), yExpr());
    String dur = String.format(Locale.ROOT, "%.3f", seconds);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + fps,
        "-loop", "1", "-framerate", Integer.toString(fps), "-i", StreamTestData.astronaut().toString()));
    if (audio) {
      args.addAll(java.util.List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
    }
    args.addAll(java.util.List.of("-filter_complex", filter, "-map", "[v]"));
    if (audio) {
      args.addAll(java.util.List.of("-map", "2:a", "-c:a", "aac", "-b:a", "96k"));
    }
    args.addAll(java.util.List.of("-t", dur, "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
        "-g", Integer.toString(2 * fps), "-bf", "0", out.toString()));
    Tools.ffmpeg(args.toArray(String[]::new));
  }

  /** Where the face is at {@code ptsMicros}, in frame pixels. */
  static Box expectedBox(long ptsMicros) {
    double t = ptsMicros / 1e6;
    double x = (WIDTH - SIZE) * (0.5 + 0.75 * Math.sin(2 * Math.PI * t / PERIOD_X));
    double y = (HEIGHT - SIZE) * (0.5 + 0.5 * Math.sin(2 * Math.PI * t / PERIOD_Y));
    // The overlay filter truncates to whole pixels, even ones for 4:2:0 chroma.
    x = (int) x & ~1;
    y = (int) y & ~1;
    Box f = StreamTestData.ASTRONAUT_FACE;
    return new Box((float) (x + (f.x1() - CROP_X) * SCALE), (float) (y + (f.y1() - CROP_Y) * SCALE),
        (float) (x + (f.x2() - CROP_X) * SCALE), (float) (y + (f.y2() - CROP_Y) * SCALE));
  }

  /** Whether the whole face box lies inside the frame. */
  static boolean fullyVisible(Box b) {
    return b.x1() >= 0 && b.y1() >= 0 && b.x2() <= WIDTH && b.y2() <= HEIGHT;
  }
}
