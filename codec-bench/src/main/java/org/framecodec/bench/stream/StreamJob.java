package org.framecodec.bench.stream;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.stream.PipelineOptions;
import org.framecodec.stream.PipelineResult;
import org.framecodec.stream.ProcessingMode;
import org.framecodec.stream.SinkOptions;
import org.framecodec.stream.SourceOptions;
import org.framecodec.stream.StreamDetector;
import org.framecodec.stream.StreamPipeline;
import org.framecodec.stream.StreamResult;
import org.framecodec.transport.InferenceClient;
import org.framecodec.wire.Framing;

/**
 * The work of {@code framecodec stream}: read one or more videos or live streams, find faces (or
 * whatever the model finds) in every frame, draw them, and write each stream out as H.264 with its
 * audio, plus an optional JSON Lines sidecar; a progress line per second while it runs.
 *
 * <pre>
 * framecodec stream --in URL|FILE [--in ...] --out URL|FILE|DIR [--out ...]
 *                   (--model M.onnx | --detector http://host:port/detect)
 *                   [--sidecar det.jsonl] [--mode cv2-yuv --quality 80] [--live | --file]
 * </pre>
 *
 * <p>Outputs: one {@code --out} per {@code --in}, paired in order; or one {@code --out} that is a
 * directory (existing, or ending in {@code /}) receiving {@code <stream id>.mp4} per input; or
 * one {@code rtmp://.../app/} URL ending in {@code /} receiving {@code <stream id>} per input.
 * Stream ids are the inputs' file names (or last URL segments), made unique.
 *
 * <p>The settings are plain fields set by the command-line front end; {@link #run} does the work
 * and returns the exit status: 0 when every stream ended normally, 1 when any failed (each
 * failure printed on one line). Not thread-safe; one job per run.
 */
public final class StreamJob {
  /** Inputs: files or URLs. */
  public List<String> inputs = new ArrayList<>();
  /** Outputs: one per input, or one directory / rtmp prefix. */
  public List<String> outputs = new ArrayList<>();
  /** The ONNX model for an in-process detector (BlazeFace head); or {@link #detectorUrl}. */
  public Path model;
  /** A remote detector's endpoint; or {@link #model}. */
  public URI detectorUrl;
  /** How batches go to a remote detector. */
  public Framing framing = Framing.RAW;
  /** The in-process detector's device. */
  public DnnDevice device = DnnDevice.AUTO;
  /** The JSON Lines sidecar, or null. */
  public Path sidecar;
  /** Payload mode. */
  public JpegMode mode = JpegMode.CV2_YUV;
  /** Payload quality. */
  public int quality = 80;
  /** Live (drop when behind) or file (process every frame); null: live when any input is a network URL. */
  public ProcessingMode processing;
  /** Largest batch. */
  public int maxBatch = 16;
  /** Batch deadline. */
  public Duration maxDelay = Duration.ofMillis(20);
  /** Frames one stream holds between decoder and sink. */
  public int maxFramesInFlight = 8;
  /** Read timeout of network sources. */
  public Duration readTimeout = Duration.ofSeconds(5);
  /** H.264 bitrate, 0 for automatic. */
  public long videoBitrate;

  /**
   * Runs the job to its end (or until the process is interrupted: Ctrl-C stops the sources and
   * lets every output finish).
   *
   * @param out where the final report goes
   * @param progress receives a progress line about once a second
   * @return 0 when every stream ended normally, 1 otherwise
   * @throws IllegalArgumentException for inconsistent settings (a usage error)
   * @throws IOException when the sidecar cannot be created
   * @throws InterruptedException when the calling thread is interrupted
   */
  public int run(PrintWriter out, Consumer<String> progress) throws IOException, InterruptedException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one --in is needed");
    }
    if ((model == null) == (detectorUrl == null)) {
      throw new IllegalArgumentException("give exactly one of --model and --detector");
    }
    List<SourceOptions> sources = sources();
    List<SinkOptions> sinks = sinks(sources);
    ProcessingMode pm = processing != null ? processing
        : sources.stream().anyMatch(SourceOptions::isNetwork) ? ProcessingMode.LIVE : ProcessingMode.FILE;
    EncodeOptions encode = mode == JpegMode.CV2_YUV ? EncodeOptions.cv2Yuv(quality)
        : mode == JpegMode.GRAY ? EncodeOptions.gray(quality) : EncodeOptions.ycbcr(quality, Subsampling.S420);
    PipelineOptions options = PipelineOptions.builder().mode(pm).encode(encode).maxBatch(maxBatch)
        .maxDelay(maxDelay).maxFramesInFlight(maxFramesInFlight).build();
    Detector local = null;
    try {
      StreamDetector detector;
      if (model != null) {
        local = Detector.open(DetectorOptions.blazeFace(model).toBuilder().device(device).build());
        detector = StreamDetector.local(local);
      } else {
        detector = StreamDetector.remote(InferenceClient.builder(detectorUrl).build(), framing);
      }
      StreamPipeline.Builder b = StreamPipeline.builder().options(options).detector(detector);
      for (int i = 0; i < sources.size(); i++) {
        b.stream(sources.get(i), sinks.get(i));
      }
      if (sidecar != null) {
        b.sidecar(sidecar);
      }
      PipelineResult result;
      try (StreamPipeline pipeline = b.start()) {
        Thread hook = new Thread(pipeline::stop, "framecodec-stream-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          while (true) {
            var done = pipeline.await(Duration.ofSeconds(1));
            if (done.isPresent()) {
              result = done.get();
              break;
            }
            progress.accept(pipeline.stats().progressLine());
          }
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The hook is running: the pipeline is being stopped by Ctrl-C.
          }
        }
      }
      out.println(result.stats().report().stripTrailing());
      int status = 0;
      for (StreamResult r : result.streams()) {
        if (!r.ok()) {
          out.println(r.streamId() + ": " + r.failure().get().getClass().getSimpleName() + ": "
              + r.failure().get().getMessage());
          status = 1;
        }
      }
      return status;
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  private List<SourceOptions> sources() {
    List<SourceOptions> list = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String in : inputs) {
      Objects.requireNonNull(in, "input");
      SourceOptions.Builder s = SourceOptions.builder(in).readTimeout(readTimeout);
      String id = SourceOptions.of(in).streamId();
      String unique = id;
      for (int n = 2; ids.contains(unique); n++) {
        unique = id + "-" + n;
      }
      ids.add(unique);
      list.add(s.streamId(unique).build());
    }
    return list;
  }

  private List<SinkOptions> sinks(List<SourceOptions> sources) throws IOException {
    List<String> urls = new ArrayList<>();
    if (outputs.size() == sources.size() && !(outputs.size() == 1 && isDirectory(outputs.get(0)))) {
      urls.addAll(outputs);
    } else if (outputs.size() == 1 && isDirectory(outputs.get(0))) {
      String dir = outputs.get(0);
      boolean rtmp = dir.toLowerCase(Locale.ROOT).startsWith("rtmp");
      if (!rtmp) {
        Files.createDirectories(Path.of(dir));
      }
      for (SourceOptions s : sources) {
        urls.add(rtmp ? dir + s.streamId() : Path.of(dir).resolve(stripExtension(s.streamId()) + ".mp4").toString());
      }
    } else {
      throw new IllegalArgumentException("give one --out per --in (" + sources.size() + "), or one --out that is a"
          + " directory or an rtmp:// prefix ending in /; got " + outputs.size());
    }
    List<SinkOptions> sinks = new ArrayList<>();
    for (String u : urls) {
      sinks.add(SinkOptions.builder(u).videoBitrate(videoBitrate).build());
    }
    return sinks;
  }

  private static boolean isDirectory(String out) {
    return out.endsWith("/") || Files.isDirectory(Path.of(out));
  }

  private static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
