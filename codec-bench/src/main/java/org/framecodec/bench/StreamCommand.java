package org.framecodec.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.framecodec.bench.stream.StreamJob;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.bench.support.Progress;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.DnnDevice;
import org.framecodec.stream.ProcessingMode;
import org.framecodec.wire.Framing;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec stream}: live stream (or file) in, annotated stream out. Reads each {@code
 * --in}, finds faces in every frame with one shared detector (in process, or a service with
 * {@code --detector}), draws them, writes H.264 with the source's audio to the matching {@code
 * --out}, and the detections to a JSON Lines {@code --sidecar}; a progress line per second on
 * stderr, the final counters on stdout. The work is {@link StreamJob}; this class only maps
 * options. Exit status: 0 when every stream ended normally, 1 when any failed (one line each).
 */
@Command(name = "stream", description = "Live stream or file in, annotated stream out: faces boxed, audio kept,"
    + " detections as JSON Lines.")
public final class StreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "URL|FILE", description = "A source: a file, or an"
      + " rtmp://, rtsp://, http(s):// (HLS, FLV, MPEG-TS), udp:// or srt:// URL. Repeat for several streams.")
  List<String> inputs;

  @Option(names = "--out", required = true, paramLabel = "URL|FILE|DIR", description = "One per --in (file"
      + " .mp4/.mkv/.ts/.flv, .m3u8 for HLS, rtmp://...), or one directory (or rtmp:// prefix ending in /) for all.")
  List<String> outputs;

  @ArgGroup(exclusive = true)
  DetectorChoice detector = new DetectorChoice();

  static final class DetectorChoice {
    @Option(names = "--model", paramLabel = "M.onnx", description = "BlazeFace ONNX model run in this process;"
        + " default: the bundled front model.")
    Path model;

    @Option(names = "--detector", paramLabel = "http://host:port/detect", description = "An inference service"
        + " (our receiver or the Python peer) instead of a model here.")
    URI url;
  }

  @Option(names = "--framing", paramLabel = "F", converter = OptionTypes.WireFraming.class, defaultValue = "raw",
      description = "How batches go to --detector: raw or json.")
  Framing framing;

  @Option(names = "--device", paramLabel = "D", converter = OptionTypes.Device.class, defaultValue = "auto",
      description = "The model's device: auto, cpu, cuda or cuda_fp16.")
  DnnDevice device;

  @Option(names = "--sidecar", paramLabel = "FILE", description = "Write every frame's detections as JSON Lines.")
  Path sidecar;

  @Option(names = "--mode", paramLabel = "MODE", converter = OptionTypes.Mode.class, defaultValue = "cv2-yuv",
      description = "The detector's payload: cv2-yuv, ycbcr or gray.")
  JpegMode mode;

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "80", description = "The payload's JPEG quality.")
  int quality;

  @ArgGroup(exclusive = true)
  ModeChoice processing = new ModeChoice();

  static final class ModeChoice {
    @Option(names = "--live", description = "Drop the oldest frames when behind (bounded latency); files are read"
        + " at their own pace. Default when any --in is a network URL.")
    boolean live;

    @Option(names = "--file", description = "Process every frame, never drop. Default for files.")
    boolean file;
  }

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Largest batch for the detector.")
  int batch;

  @Option(names = "--max-delay-ms", paramLabel = "MS", defaultValue = "20", description = "Longest a frame waits"
      + " for its batch to fill.")
  long maxDelayMs;

  @Option(names = "--in-flight", paramLabel = "N", defaultValue = "8", description = "Frames one stream holds"
      + " between decoder and sink (memory, and latency in live mode).")
  int inFlight;

  @Option(names = "--read-timeout-ms", paramLabel = "MS", defaultValue = "5000", description = "A network"
      + " source's read timeout; then it reconnects with back-off.")
  long readTimeoutMs;

  @Option(names = "--bitrate", paramLabel = "BPS", defaultValue = "0", description = "H.264 bitrate; 0 for about"
      + " 0.07 bit per pixel per frame.")
  long bitrate;

  @Override
  public Integer call() throws Exception {
    StreamJob job = new StreamJob();
    job.inputs.addAll(inputs);
    job.outputs.addAll(outputs);
    if (detector.url != null) {
      job.detectorUrl = detector.url;
      job.framing = framing;
    } else {
      job.model = BundledFiles.orBundled(detector.model, BundledFiles.BLAZEFACE_FRONT, "--model");
    }
    job.device = device;
    job.sidecar = sidecar;
    job.mode = mode;
    job.quality = quality;
    job.processing = processing.live ? ProcessingMode.LIVE : processing.file ? ProcessingMode.FILE : null;
    job.maxBatch = batch;
    job.maxDelay = Duration.ofMillis(maxDelayMs);
    job.maxFramesInFlight = inFlight;
    job.readTimeout = Duration.ofMillis(readTimeoutMs);
    job.videoBitrate = bitrate;
    Progress progress = FrameCodecCli.progress(spec);
    int status = job.run(spec.commandLine().getOut(), progress::step);
    progress.clear();
    return status;
  }
}
