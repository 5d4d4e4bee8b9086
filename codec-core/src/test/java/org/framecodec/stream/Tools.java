package org.framecodec.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffmpeg and ffprobe, run as child processes by the stream tests: they make every input
 * (nothing is downloaded) and check every output, as an independent peer. Installed by
 * codec-bench/bin/setup-deps.sh.
 */
final class Tools {
  private Tools() {}

  /** Runs {@code command}, failing with the end of its output when it fails or outlives {@code timeout}. */
  static String run(Duration timeout, List<String> command) {
    try {
      Path log = Files.createTempFile("framecodec-tool", ".log");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor();
          throw new AssertionError(command.get(0) + " did not finish within " + timeout + ": "
              + tail(log) + "\ncommand: " + String.join(" ", command));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new AssertionError(command.get(0) + " exited with " + p.exitValue() + ": "
              + tail(log) + "\ncommand: " + String.join(" ", command));
        }
        return out;
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + " (install it with codec-bench/bin/setup-deps.sh)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts {@code command} in the background, its output going to {@code log}. */
  static Process start(Path log, List<String> command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command.get(0), e);
    }
  }

  static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** {@code ffmpeg -y -v error -nostdin <args>}, 2 minutes at most. */
  static void ffmpeg(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-y", "-v", "error", "-nostdin"));
    cmd.addAll(List.of(args));
    run(Duration.ofMinutes(2), cmd);
  }

  /** Timestamps of the packets of one stream ({@code v} or {@code a}), in microseconds, in file order. */
  static List<Long> packetPts(Path file, String stream) {
    String out = run(Duration.ofSeconds(60), List.of("ffprobe", "-v", "error", "-select_streams",
        stream + ":0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", file.toString()));
    List<Long> pts = new ArrayList<>();
    for (String line : out.split("\n")) {
      line = line.strip();
      if (line.endsWith(",")) {
        line = line.substring(0, line.length() - 1);
      }
      if (!line.isEmpty() && !line.equals("N/A")) {
        pts.add(Math.round(Double.parseDouble(line) * 1e6));
      }
    }
    return pts;
  }

  /** Frames the decoder gets out of the first video stream ({@code ffprobe -count_frames}). */
  static int countFrames(Path file) {
    String out = run(Duration.ofSeconds(120), List.of("ffprobe", "-v", "error", "-count_frames",
        "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
        file.toString()));
    return Integer.parseInt(firstLine(out).replace(",", ""));
  }

  /** {@code codec_name,width,height} of the first video stream, e.g. {@code h264,640,360}. */
  static String videoFormat(Path file) {
    return firstLine(run(Duration.ofSeconds(60), List.of("ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file.toString())));
  }

  /** The codec of the first audio stream, or "" when there is none. */
  static String audioCodec(Path file) {
    return firstLine(run(Duration.ofSeconds(60), List.of("ffprobe", "-v", "error", "-select_streams", "a:0",
        "-show_entries", "stream=codec_name", "-of", "csv=p=0", file.toString())));
  }

  /** The first non-empty line (ffprobe lists an HLS playlist's stream once per program too). */
  private static String firstLine(String out) {
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "";
  }

  /** Frame {@code index} (0-based, decode order) of a video as packed BGR, {@code width * height * 3} bytes. */
  static byte[] frameBgr(Path file, int index, int width, int height) {
    try {
      Path raw = Files.createTempFile("framecodec-frame", ".bgr");
      try {
        ffmpeg("-i", file.toString(), "-vf", "select=eq(n\\," + index + ")", "-vsync", "0",
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", raw.toString());
        byte[] px = Files.readAllBytes(raw);
        if (px.length != width * height * 3) {
          throw new AssertionError("frame " + index + " of " + file + " has " + px.length + " bytes, not "
              + width + "x" + height + "x3");
        }
        return px;
      } finally {
        Files.deleteIfExists(raw);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
