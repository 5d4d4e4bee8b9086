package org.framecodec.bench.stream;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Loader;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.stream.PipelineOptions;
import org.framecodec.stream.PipelineResult;
import org.framecodec.stream.PipelineStats;
import org.framecodec.stream.ProcessingMode;
import org.framecodec.stream.SinkOptions;
import org.framecodec.stream.SourceOptions;
import org.framecodec.stream.Stage;
import org.framecodec.stream.StreamDetector;
import org.framecodec.stream.StreamPipeline;
import org.framecodec.stream.StreamStats;

/**
 * The work of {@code framecodec stream-bench}: how many streams of a resolution this machine
 * processes in real time, whole pipeline included (demux/decode, encode to payload, batch, detect,
 * draw, H.264 encode + mux, audio passed through), and where the time goes.
 *
 * <p>For each resolution it makes a clip (ffmpeg's {@code testsrc2} pattern with a sine tone,
 * H.264 from the LGPL build's {@code libopenh264}, using the {@code ffmpeg} program that ships
 * inside the FFmpeg natives, so no system ffmpeg is needed) or takes one given with {@code
 * --input}. It then runs 1, 2, 3, ... copies of it at once in file mode (every frame processed,
 * nothing dropped) and reports the real-time factor (clip duration / wall time; 1.0 or more means
 * each stream kept up with real time), the frames per second written, the mean time per frame of
 * each stage and the mean batch size, stopping after the first count that falls below real
 * time. The largest count at 1.0 or more is the number of streams sustained. With {@code
 * --live-check} it then runs that many in live mode, paced like cameras, and reports drops and
 * glass-to-glass latency.
 *
 * <p>Outputs go to a work folder and are deleted after each run. Not thread-safe; one bench per run.
 */
public final class StreamBench {
  /** Resolutions to measure, e.g. {@code 720p25}, {@code 1080p50}. */
  public List<String> resolutions = new ArrayList<>(List.of("720p25", "1080p50"));
  /** Clip length in seconds. */
  public double seconds = 10;
  /** The most streams tried per resolution. */
  public int maxStreams = 8;
  /** The BlazeFace model. */
  public Path model;
  /** The detector's device. */
  public DnnDevice device = DnnDevice.AUTO;
  /** Given clips by resolution name, instead of generated ones. */
  public Map<String, Path> inputs = new LinkedHashMap<>();
  /** Where clips and outputs go; a temporary folder when null. */
  public Path work;
  /** Payload quality (cv2-yuv). */
  public int quality = 80;
  /** Largest batch. */
  public int maxBatch = 16;
  /** Also run the sustained count in live mode. */
  public boolean liveCheck;

  /**
   * Runs the bench and prints a markdown table per resolution to {@code out}.
   *
   * @param out where the tables go
   * @param progress receives a line per run
   * @return 0
   * @throws IOException when the work folder or a clip cannot be made
   * @throws InterruptedException when interrupted
   */
  public int run(PrintWriter out, Consumer<String> progress) throws IOException, InterruptedException {
    if (model == null) {
      throw new IllegalArgumentException("--model is required");
    }
    Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("framecodec-stream-bench");
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(model).toBuilder().device(device).build())) {
      out.printf(Locale.ROOT, "machine: %d cores, %s; detector %s on %s, payload cv2-yuv q%d, batch <= %d%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), model.getFileName(),
          detector.info().target(), quality, maxBatch);
      for (String res : resolutions) {
        Resolution r = Resolution.parse(res);
        Path clip = inputs.containsKey(res) ? inputs.get(res) : makeClip(r, dir, progress);
        out.printf(Locale.ROOT, "%n### %s (%dx%d, %d fps), clip %s, file mode%n%n", res, r.width, r.height,
            r.fps, clip.getFileName());
        out.println("| streams | real-time factor | fps out (all) | CPU ms/frame | cores per stream | decode | encode | batch wait | detect | draw | H.264 + mux | mean batch | load avg |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        int sustained = 0;
        long clipFrames = 0;
        double coresPerStream = 0;
        for (int n = 1; n <= maxStreams; n++) {
          long cpu0 = ProcessCpu.nanos();
          long t0 = System.nanoTime();
          PipelineResult result = runStreams(detector, clip, n, ProcessingMode.FILE, dir);
          double wall = (System.nanoTime() - t0) / 1e9;
          double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
          double duration = clipSeconds(result, r);
          double rtf = duration / wall;
          clipFrames = result.stats().streams().get(0).framesOut();
          if (n == 1) {
            coresPerStream = cpu / duration;
          }
          PipelineStats s = result.stats();
          long frames = s.streams().stream().mapToLong(StreamStats::framesOut).sum();
          out.printf(Locale.ROOT, "| %d | %.2f | %.1f | %.1f | %.2f | %s | %s | %s | %s | %s | %s | %.1f | %s |%n", n, rtf,
              frames / wall, cpu * 1000 / frames, cpu / (n * duration),
              ms(s, Stage.DECODE), ms(s, Stage.ENCODE), ms(s, Stage.BATCH), ms(s, Stage.DETECT), ms(s, Stage.DRAW),
              ms(s, Stage.SINK), s.batcher().batches() == 0 ? 0.0 : (double) s.batcher().delivered() / s.batcher().batches(),
              ProcessCpu.loadAverage());
          out.flush();
          progress.accept(String.format(Locale.ROOT, "%s x%d: real-time factor %.2f%s", res, n, rtf,
              result.ok() ? "" : " (failures: " + result.streams() + ")"));
          if (!result.ok()) {
            throw new IllegalStateException("a bench stream failed: " + result.streams());
          }
          if (rtf < 1.0) {
            break;
          }
          sustained = n;
        }
        out.printf(Locale.ROOT, "%nclip: %d frames (%.1f s). Stage columns: mean wall ms per frame on the stage's thread."
            + " CPU: the whole process (all threads, FFmpeg's and OpenCV's included) from /proc/self/stat.%n",
            clipFrames, (double) clipFrames / r.fps);
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "one stream needs %.2f cores of CPU time: %d cores would carry %d stream(s) of %s if they were"
            + " this process's alone%n", coresPerStream, cores, coresPerStream > 0 ? (int) Math.floor(cores / coresPerStream) : 0, res);
        out.printf(Locale.ROOT, "sustained in real time: %d stream(s) of %s%n", sustained, res);
        if (liveCheck && sustained > 0) {
          PipelineResult live = runStreams(detector, clip, sustained, ProcessingMode.LIVE, dir);
          out.printf(Locale.ROOT, "live mode, %d stream(s) paced as cameras:%n", sustained);
          for (StreamStats st : live.stats().streams()) {
            out.printf(Locale.ROOT, "  %s: in %d, out %d, dropped %d, glass-to-glass p50 %.0f ms, p99 %.0f ms%n",
                st.streamId(), st.framesIn(), st.framesOut(), st.dropped(), st.latencyP50Millis(), st.latencyP99Millis());
          }
        }
      }
    } finally {
      if (work == null) {
        deleteTree(dir);
      }
    }
    return 0;
  }

  private PipelineResult runStreams(Detector detector, Path clip, int n, ProcessingMode mode, Path dir)
      throws InterruptedException, IOException {
    StreamPipeline.Builder b = StreamPipeline.builder().detector(StreamDetector.local(detector))
        .options(PipelineOptions.builder().mode(mode).encode(EncodeOptions.cv2Yuv(quality)).maxBatch(maxBatch).build());
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path o = dir.resolve("out-" + mode.name().toLowerCase(Locale.ROOT) + "-" + i + ".mp4");
      outs.add(o);
      b.stream(SourceOptions.builder(clip.toString()).streamId("s" + i).build(), SinkOptions.of(o.toString()));
    }
    try (StreamPipeline p = b.start()) {
      return p.awaitCompletion();
    } finally {
      for (Path o : outs) {
        Files.deleteIfExists(o);
      }
    }
  }

  private double clipSeconds(PipelineResult result, Resolution r) {
    long frames = result.stats().streams().get(0).framesOut();
    return (double) frames / r.fps;
  }

  private static String ms(PipelineStats s, Stage stage) {
    return String.format(Locale.ROOT, "%.2f", s.stage(stage).meanMillis());
  }

  /** Makes the clip with the ffmpeg program bundled in the FFmpeg natives. */
  private Path makeClip(Resolution r, Path dir, Consumer<String> progress) throws IOException, InterruptedException {
    Path clip = dir.resolve("clip-" + r.name + ".mp4");
    if (Files.isRegularFile(clip)) {
      return clip;
    }
    String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    long bitrate = Math.max(500_000L, Math.round(0.07 * r.width * r.height * r.fps));
    progress.accept("making " + clip.getFileName() + " with " + ffmpeg);
    Process p = new ProcessBuilder(ffmpeg, "-y", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
        "testsrc2=size=" + r.width + "x" + r.height + ":rate=" + r.fps, "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", String.format(Locale.ROOT, "%.3f", seconds),
        "-c:v", "libopenh264", "-b:v", Long.toString(bitrate), "-g", Integer.toString(2 * r.fps),
        "-c:a", "aac", "-b:a", "96k", clip.toString()).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("the bundled ffmpeg could not make " + clip);
    }
    return clip;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A resolution and rate such as {@code 1080p50}. */
  record Resolution(String name, int width, int height, int fps) {
    static Resolution parse(String s) {
      String[] parts = s.toLowerCase(Locale.ROOT).split("p");
      if (parts.length != 2) {
        throw new IllegalArgumentException("resolution must look like 720p25 or 1080p50, got '" + s + "'");
      }
      int h = Integer.parseInt(parts[0]);
      int fps = Integer.parseInt(parts[1]);
      int w = (int) Math.round(h * 16 / 9.0) & ~1;
      if (h < 16 || h > 4320 || fps < 1 || fps > 240) {
        throw new IllegalArgumentException("resolution out of range: '" + s + "'");
      }
      return new Resolution(s, w, h, fps);
    }
  }
}
