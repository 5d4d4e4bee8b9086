package org.framecodec.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.bench.support.Python;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;

/**
 * Runs the programs FrameCodec is compared with, on the same frame and in the same run:
 * libjpeg-turbo's {@code tjbench} (the ceiling for the codec itself) and the source document's
 * Python recipe with Debian's python3-opencv ({@link BundledFiles#RECIPE_TIMING}).
 */
final class ExternalTimings {
  /** Median milliseconds of one external measurement, or why it could not be taken. */
  record Timing(double encodeMs, double decodeMs, String note) {
    static Timing missing(String why) {
      return new Timing(Double.NaN, Double.NaN, why);
    }

    boolean ok() {
      return !Double.isNaN(encodeMs);
    }
  }

  private ExternalTimings() {}

  /** tjbench compress/decompress of the frame as BGR, 4:2:0, accurate DCT, at the given quality. */
  static Timing tjbench(Frame bgr, int quality, Path work) throws IOException, InterruptedException {
    Path ppm = work.resolve("frame.ppm");
    writePpm(bgr, ppm);
    List<String> out = exec(List.of("tjbench", ppm.toString(), String.valueOf(quality), "-subsamp", "420",
        "-accuratedct", "-benchtime", "3", "-warmup", "1", "-quiet"));
    if (out == null) {
      return Timing.missing("tjbench not found (apt-get install libjpeg-turbo-progs)");
    }
    // Table row: BGR (TD) 4:2:0 80 1920 1080 <comp Mpix/s> <ratio> <decomp Mpix/s>
    Pattern row = Pattern.compile("^BGR\\s+\\(\\w+\\)\\s+4:2:0\\s+\\d+\\s+\\d+\\s+\\d+\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)");
    for (String line : out) {
      Matcher m = row.matcher(line.trim());
      if (m.find()) {
        double mpix = bgr.width() * (double) bgr.height() / 1e6;
        return new Timing(1000 * mpix / Double.parseDouble(m.group(1)),
            1000 * mpix / Double.parseDouble(m.group(3)), "tjbench -accuratedct -subsamp 420");
      }
    }
    return Timing.missing("tjbench printed no result row: " + String.join(" | ", out));
  }

  /** The Python recipe (encode incl. base64; decode incl. base64), median of {@code reps}. */
  static Timing pythonRecipe(Frame bgr, int quality, int reps, Path work)
      throws IOException, InterruptedException {
    Path png = work.resolve("frame.png");
    ImageFiles.writePng(bgr, png);
    Path script = work.resolve("recipe_timing.py");
    try (InputStream in = BundledFiles.open(BundledFiles.RECIPE_TIMING)) {
      if (in == null) {
        throw new IOException(BundledFiles.RECIPE_TIMING + " is not bundled in this build");
      }
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> out = exec(List.of(Python.interpreter(), script.toString(), png.toString(),
        String.valueOf(quality), String.valueOf(reps)));
    if (out == null || out.isEmpty()) {
      return Timing.missing("python3-opencv not available (apt-get install python3-opencv)");
    }
    String json = out.get(out.size() - 1);
    Matcher enc = Pattern.compile("\"encode_ms\": ([\\d.]+)").matcher(json);
    Matcher dec = Pattern.compile("\"decode_ms\": ([\\d.]+)").matcher(json);
    Matcher ver = Pattern.compile("\"opencv\": \"([^\"]+)\"").matcher(json);
    if (!enc.find() || !dec.find()) {
      return Timing.missing("recipe script failed: " + String.join(" | ", out));
    }
    return new Timing(Double.parseDouble(enc.group(1)), Double.parseDouble(dec.group(1)),
        "python3-opencv " + (ver.find() ? ver.group(1) : "?"));
  }

  /** Runs a command; returns its output lines, or null when the program does not exist. */
  private static List<String> exec(List<String> cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    return new ArrayList<>(text.lines().toList());
  }

  private static void writePpm(Frame bgr, Path path) throws IOException {
    byte[] px = bgr.toByteArray();
    for (int i = 0; i < px.length; i += 3) {
      byte t = px[i];
      px[i] = px[i + 2];
      px[i + 2] = t;
    }
    try (OutputStream out = Files.newOutputStream(path)) {
      out.write(("P6\n" + bgr.width() + " " + bgr.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
      out.write(px);
    }
  }
}
