package org.framecodec.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.framecodec.bench.stream.StreamBench;
import org.framecodec.bench.support.Progress;
import org.framecodec.detect.DnnDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec stream-bench}: how many streams of each resolution this machine processes in
 * real time through the whole stream pipeline, the CPU each needs, and where the time goes; a
 * markdown table per resolution on stdout (see {@link StreamBench}, docs/streaming.md).
 */
@Command(name = "stream-bench", description = "Streams sustained in real time per resolution through the whole"
    + " pipeline (decode, payload, batch, detect, draw, H.264), with per-stage times.")
public final class StreamBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--resolutions", split = ",", paramLabel = "R", defaultValue = "720p25,1080p50",
      description = "Resolutions and rates, e.g. 720p25,1080p50.")
  List<String> resolutions;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "Length of the generated clips.")
  double seconds;

  @Option(names = "--max-streams", paramLabel = "N", defaultValue = "8", description = "Most streams tried per"
      + " resolution (it stops after the first count below real time).")
  int maxStreams;

  @Mixin ModelArgument model;

  @Option(names = "--device", paramLabel = "D", converter = OptionTypes.Device.class, defaultValue = "auto",
      description = "auto, cpu, cuda or cuda_fp16.")
  DnnDevice device;

  @Option(names = "--input", paramLabel = "RES=FILE", description = "Use this clip for a resolution instead of"
      + " generating one, e.g. 1080p50=clip.mp4.")
  Map<String, Path> inputs;

  @Option(names = "--work", paramLabel = "DIR", description = "Keep clips and outputs here (default: a temporary"
      + " folder, deleted).")
  Path work;

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "80", description = "cv2-yuv payload quality.")
  int quality;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Largest detector batch.")
  int batch;

  @Option(names = "--live-check", description = "Then run the sustained count in live mode, paced like cameras,"
      + " and report drops and glass-to-glass latency.")
  boolean liveCheck;

  @Override
  public Integer call() throws Exception {
    StreamBench bench = new StreamBench();
    bench.resolutions = resolutions;
    bench.seconds = seconds;
    bench.maxStreams = maxStreams;
    bench.model = model.path();
    bench.device = device;
    if (inputs != null) {
      bench.inputs.putAll(inputs);
    }
    bench.work = work;
    bench.quality = quality;
    bench.maxBatch = batch;
    bench.liveCheck = liveCheck;
    Progress progress = FrameCodecCli.progress(spec);
    int status = bench.run(spec.commandLine().getOut(), progress::note);
    progress.clear();
    return status;
  }
}
