package org.framecodec.bench.stream;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.DnnDevice;
import org.framecodec.stream.ProcessingMode;
import org.framecodec.wire.Framing;

/**
 * A plain entry point for {@code stream} and {@code stream-bench} until they are wired into the
 * picocli tool: {@code java -cp codec-bench.jar org.framecodec.bench.stream.StreamTools stream
 * --in a.mp4 --out b.mp4 --model m.onnx}; {@code ffmpeg-path} prints where the ffmpeg program
 * bundled in the FFmpeg natives was extracted (the GPU scripts make their clips with it). Options are {@code --name value}; flags are {@code
 * --live}, {@code --file}, {@code --live-check}.
 */
public final class StreamTools {
  private StreamTools() {}

  /**
   * Runs {@code stream} or {@code stream-bench}.
   *
   * @param args the command and its options
   * @throws Exception on any failure (printed)
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: StreamTools stream|stream-bench --name value ...");
      System.exit(2);
    }
    PrintWriter out = new PrintWriter(System.out, true);
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    int status;
    switch (args[0]) {
      case "ffmpeg-path" -> {
        // The ffmpeg program inside the FFmpeg natives (extracted to JavaCPP's cache).
        out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        status = 0;
      }
      case "stream" -> {
        StreamJob job = new StreamJob();
        for (int i = 0; i < rest.size(); i++) {
          String k = rest.get(i);
          switch (k) {
            case "--live" -> job.processing = ProcessingMode.LIVE;
            case "--file" -> job.processing = ProcessingMode.FILE;
            default -> {
              String v = rest.get(++i);
              switch (k) {
                case "--in" -> job.inputs.add(v);
                case "--out" -> job.outputs.add(v);
                case "--model" -> job.model = Path.of(v);
                case "--detector" -> job.detectorUrl = URI.create(v);
                case "--framing" -> job.framing = Framing.valueOf(v.toUpperCase(Locale.ROOT));
                case "--device" -> job.device = DnnDevice.valueOf(v.toUpperCase(Locale.ROOT));
                case "--sidecar" -> job.sidecar = Path.of(v);
                case "--mode" -> job.mode = JpegMode.fromWireName(v);
                case "--quality" -> job.quality = Integer.parseInt(v);
                case "--batch" -> job.maxBatch = Integer.parseInt(v);
                case "--max-delay-ms" -> job.maxDelay = Duration.ofMillis(Long.parseLong(v));
                case "--in-flight" -> job.maxFramesInFlight = Integer.parseInt(v);
                case "--bitrate" -> job.videoBitrate = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + k);
              }
            }
          }
        }
        status = job.run(out, System.err::println);
      }
      case "stream-bench" -> {
        StreamBench bench = new StreamBench();
        for (int i = 0; i < rest.size(); i++) {
          String k = rest.get(i);
          if (k.equals("--live-check")) {
            bench.liveCheck = true;
            continue;
          }
          String v = rest.get(++i);
          switch (k) {
            case "--resolutions" -> bench.resolutions = List.of(v.split(","));
            case "--seconds" -> bench.seconds = Double.parseDouble(v);
            case "--max-streams" -> bench.maxStreams = Integer.parseInt(v);
            case "--model" -> bench.model = Path.of(v);
            case "--device" -> bench.device = DnnDevice.valueOf(v.toUpperCase(Locale.ROOT));
            case "--input" -> {
              String[] kv = v.split("=", 2);
              bench.inputs.put(kv[0], Path.of(kv[1]));
            }
            case "--work" -> bench.work = Path.of(v);
            case "--quality" -> bench.quality = Integer.parseInt(v);
            case "--batch" -> bench.maxBatch = Integer.parseInt(v);
            default -> throw new IllegalArgumentException("unknown option " + k);
          }
        }
        status = bench.run(out, System.err::println);
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
    out.flush();
    System.exit(status);
  }
}
