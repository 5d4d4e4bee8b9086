package org.framecodec.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.bench.kafka.KafkaBenchmark;
import org.framecodec.bench.kafka.KafkaProduce;
import org.framecodec.bench.kafka.KafkaResults;
import org.framecodec.bench.kafka.KafkaTopicsCommand;
import org.framecodec.bench.kafka.KafkaWork;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.detect.DnnDevice;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.kafka.DetectionResultReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec kafka}: frames and detections through Kafka (org.framecodec.kafka). The
 * subcommands' work is in {@code org.framecodec.bench.kafka}; these classes only parse options.
 * docs/scaling.md shows them in use; {@code codec-bench/bin/kafka-broker.sh} starts a broker to
 * try them against.
 */
@Command(name = "kafka", description = "Frames and detections through Kafka: topics, produce, work, results, bench.",
    subcommands = {KafkaCommand.Topics.class, KafkaCommand.Produce.class, KafkaCommand.Work.class,
        KafkaCommand.Results.class, KafkaCommand.Bench.class})
public final class KafkaCommand implements Runnable {
  @Spec CommandSpec spec;

  /** No subcommand: a usage error that lists them. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand; one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  /** {@code --bootstrap}, which every subcommand needs, as a picocli mixin. */
  static final class Brokers {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT",
        description = "Kafka brokers (codec-bench/bin/kafka-broker.sh starts one).")
    String servers;
  }

  /** {@code framecodec kafka topics}. */
  @Command(name = "topics", description = "Create topics given as NAME:PARTITIONS (existing ones are left as they are).")
  static final class Topics implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Brokers brokers;

    @Option(names = "--replication", paramLabel = "N", description = "Replication factor.")
    short replication = 1;

    @Parameters(arity = "1..*", paramLabel = "NAME:PARTITIONS", description = "Topics, e.g. frames:8 detections:4 frames.dlt:1.")
    List<String> topics;

    @Override
    public Integer call() {
      try {
        KafkaTopicsCommand.parse(topics);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      return KafkaTopicsCommand.run(brokers.servers, topics, replication, spec.commandLine().getOut());
    }
  }

  /** {@code framecodec kafka produce}. */
  @Command(name = "produce", description = "Send images, or the frames of a video (--in), to a frames topic as one"
      + " stream: frame i is image i mod n, --repeat times over, or the video's frame i with its pts; encoded on a"
      + " thread pool; one record per frame, key = stream id.")
  static final class Produce implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Brokers brokers;

    @Option(names = "--topic", paramLabel = "T", description = "Frames topic.")
    String topic = "frames";

    @Option(names = "--stream", paramLabel = "ID", description = "Stream id (the record key).")
    String stream = "stream-0";

    @Option(names = "--repeat", paramLabel = "N", description = "How many times to send the images.")
    int repeat = 1;

    @Option(names = "--first-frame", paramLabel = "N", description = "Frame number of the first frame.")
    long firstFrame;

    @Option(names = "--fps", paramLabel = "F", description = "Frames per second to pace at; 0: as fast as the broker takes them.")
    double fps;

    @Option(names = "--mode", paramLabel = "M", converter = OptionTypes.Mode.class, defaultValue = "cv2-yuv",
        description = "cv2-yuv, ycbcr or gray.")
    JpegMode mode;

    @Option(names = "--quality", paramLabel = "Q", description = "JPEG quality 1..100.")
    int quality = 80;

    @Option(names = "--subsampling", paramLabel = "S", converter = OptionTypes.Sampling.class, defaultValue = "420",
        description = "444, 422 or 420.")
    Subsampling subsampling;

    @Option(names = "--policy", paramLabel = "P", defaultValue = "BLOCK",
        description = "When the broker cannot keep up: BLOCK, DROP_OLDEST or REJECT.")
    OverflowPolicy policy;

    @Option(names = "--threads", paramLabel = "N", description = "Encoder threads; default: one per core.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--in", paramLabel = "URL|FILE", description = "A video file or a live URL (rtmp, rtsp,"
        + " http, HLS) to send instead of images: every decoded frame, with its container pts.")
    String in;

    @Option(names = "--live", description = "With --in: read a file at its own pace, as a camera would send it, and"
        + " reconnect to a URL that drops; without it a file is sent as fast as the broker takes it.")
    boolean live;

    @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Images (.png, .jpg, .npy); default: the bundled 1080p photographs.")
    List<Path> images = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
      if (repeat < 1 || fps < 0) {
        throw new ParameterException(spec.commandLine(), "--repeat must be 1 or more and --fps 0 or more");
      }
      EncodeOptions encode;
      try {
        encode = EncodeOptions.of(mode, quality, subsampling);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      if (in != null) {
        if (!images.isEmpty()) {
          throw new ParameterException(spec.commandLine(), "give images or --in, not both");
        }
        return KafkaProduce.runVideo(new KafkaProduce.VideoOptions(brokers.servers, topic, stream, in, live,
            firstFrame, encode, policy, threads), spec.commandLine().getOut());
      }
      return KafkaProduce.run(new KafkaProduce.Options(brokers.servers, topic, stream, frames(images),
          repeat, firstFrame, fps, encode, policy, threads), spec.commandLine().getOut());
    }
  }

  /** {@code framecodec kafka work}. */
  @Command(name = "work", description = "Run one detection worker of a consumer group until interrupted (or --seconds):"
      + " frames in, one DetectionsJson record per frame out; poison records to the dead-letter topic.")
  static final class Work implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Brokers brokers;

    @Option(names = "--frames", paramLabel = "T", description = "Frames topic.")
    String frames = "frames";

    @Option(names = "--results", paramLabel = "T", description = "Results topic.")
    String results = "detections";

    @Option(names = "--dead-letters", paramLabel = "T", description = "Dead-letter topic; default: the frames topic + .dlt.")
    String deadLetters;

    @Option(names = "--group", paramLabel = "G", description = "Consumer group.")
    String group = "framecodec-detect";

    @Mixin ModelArgument model;

    @Option(names = "--device", paramLabel = "D", converter = OptionTypes.Device.class, defaultValue = "auto",
        description = "auto, cpu, cuda or cuda_fp16.")
    DnnDevice device;

    @Option(names = "--batch", paramLabel = "N", description = "Largest batch.")
    int batch = 64;

    @Option(names = "--max-delay-ms", paramLabel = "MS", description = "Longest a frame waits for its batch.")
    int maxDelayMs = 20;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after this long; 0: until interrupted.")
    int seconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
      return KafkaWork.run(new KafkaWork.Options(brokers.servers, frames, results, deadLetters, group, model.path(),
          device,
          batch, Duration.ofMillis(maxDelayMs), seconds), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  /** {@code framecodec kafka results}. */
  @Command(name = "results", description = "Print one stream's detections from a results topic, one JSON line per"
      + " frame, in frame order, each frame once.")
  static final class Results implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Brokers brokers;

    @Option(names = "--topic", paramLabel = "T", description = "Results topic.")
    String topic = "detections";

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "The stream to read.")
    String stream;

    @Option(names = "--from", paramLabel = "WHERE", defaultValue = "EARLIEST", description = "EARLIEST or LATEST.")
    DetectionResultReader.Start start;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N frames; 0: no limit.")
    long count;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "Stop after S seconds without a new result; 0: follow.")
    int idleSeconds = 5;

    @Override
    public Integer call() {
      return KafkaResults.run(new KafkaResults.Options(brokers.servers, topic, stream, start, count, idleSeconds),
          spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  /** {@code framecodec kafka bench}. */
  @Command(name = "bench", description = "Frames/s and MB/s of encode, produce -> broker -> consume, the detector,"
      + " and the whole pipeline with produce-to-result latency, side by side; see docs/scaling.md.")
  static final class Bench implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Brokers brokers;

    @Option(names = "--seconds", paramLabel = "S", description = "Measured seconds per phase (after 5 s of warm-up).")
    int seconds = 20;

    @Option(names = "--streams", paramLabel = "N", description = "Streams the frames are spread over.")
    int streams = 8;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the frames topics.")
    int partitions = 8;

    @Option(names = "--quality", paramLabel = "Q", description = "cv2-yuv quality.")
    int quality = 80;

    @Option(names = "--threads", paramLabel = "N", description = "Encoder threads; default: one per core.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--batch", paramLabel = "N", description = "Detector batch.")
    int batch = 16;

    @Option(names = "--load", paramLabel = "F", description = "The latency phase's rate as a fraction of the pipeline's.")
    double load = 0.5;

    @Option(names = "--broker-pid", paramLabel = "PID", description = "The broker's process id, for its CPU time; 0: not measured.")
    long brokerPid;

    @Mixin ModelArgument model;

    @Option(names = "--device", paramLabel = "D", converter = OptionTypes.Device.class, defaultValue = "cpu",
        description = "auto, cpu, cuda or cuda_fp16.")
    DnnDevice device;

    @Option(names = "--phases", paramLabel = "LIST", description = "Comma-separated subset of encode,transport,hop,detect,pipeline,latency.")
    String phases = String.join(",", KafkaBenchmark.PHASES);

    @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "1080p frames; default: the bundled photographs.")
    List<Path> images = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (seconds < 1 || streams < 1 || partitions < 1 || batch < 1 || threads < 1 || !(load > 0)) {
        throw new ParameterException(spec.commandLine(), "--seconds, --streams, --partitions, --batch,"
            + " --threads and --load must be positive");
      }
      java.util.Set<String> which;
      try {
        which = KafkaBenchmark.phases(phases);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      return KafkaBenchmark.run(new KafkaBenchmark.Options(brokers.servers, frames(images), model.path(), device,
          seconds,
          streams, partitions, quality, threads, batch, load, brokerPid, which), spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }

  /** The given images, or the bundled 1080p photographs. */
  static List<Frame> frames(List<Path> images) throws IOException {
    List<Frame> out = new ArrayList<>();
    if (images.isEmpty()) {
      for (String name : BundledFiles.FRAMES_1080P) {
        try (var in = BundledFiles.open(name)) {
          if (in == null) {
            throw new IOException("the bundled frame " + name + " is not in this build; pass IMAGE files");
          }
          out.add(ImageFiles.read(in, name));
        }
      }
      return out;
    }
    for (Path p : images) {
      out.add(BenchImages.load(p));
    }
    return out;
  }
}
