package org.framecodec.bench.stream;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.framecodec.detect.DnnDevice;

/**
 * A plain entry point, without the picocli tool and its dependencies, for the GPU machine's
 * minimal bundle ({@code codec-bench/gpu/run-stream-on-gpu.sh}): {@code stream-bench} takes the
 * options of {@code framecodec stream-bench} as {@code --name value} ({@code --input RES=FILE}
 * may repeat; {@code --live-check} is a flag), and {@code ffmpeg-path} prints where the ffmpeg
 * program bundled in the FFmpeg natives was extracted (make-stream-bundle.sh makes its clips
 * with it). Everywhere else use {@code framecodec stream} and {@code framecodec stream-bench}. Options are {@code --name value}; flags are {@code
 * --live}, {@code --file}, {@code --live-check}.
 */
public final class StreamTools {
  private StreamTools() {}

  /**
   * Runs {@code stream-bench} or {@code ffmpeg-path}.
   *
   * @param args the command and its options
   * @throws Exception on any failure (printed)
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: StreamTools stream-bench|ffmpeg-path [--name value ...]");
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
