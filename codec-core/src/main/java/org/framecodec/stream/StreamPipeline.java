package org.framecodec.stream;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.framecodec.FrameCodecException;
import org.framecodec.batch.Batch;
import org.framecodec.batch.BatchItem;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.BatcherStats;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;

/**
 * Live stream in, annotated stream out: reads one or more sources, finds objects in every frame
 * with one shared detector, draws the boxes on the very frame that was analysed, and writes each
 * stream to its sink with its audio passed through, plus an optional JSON Lines sidecar of the
 * detections.
 *
 * <pre>
 *  per stream                                shared                         per stream
 *  ┌────────── reader thread ──────────┐                                    ┌──── writer thread ────┐
 *  source ─▶ decode ─▶ encode to payload ─▶ batcher ─▶ detector ─▶ channel ─▶ draw ─▶ H.264 + mux ─▶ sink
 *     │          (BGR kept in the stream's channel, keyed by frame number)         ▲        + sidecar
 *     └──────────────────────────── audio packets, untouched ──────────────────────┘
 * </pre>
 *
 * <p><b>Threads.</b> Each stream has a reader and a writer thread; one batcher thread serves all
 * streams and is the only caller of the {@link StreamDetector} (which therefore need not be
 * thread-safe). Frames of all streams share batches; each stream's order is kept.
 *
 * <p><b>Modes.</b> In {@link ProcessingMode#FILE} every frame is written (the output has the
 * input's frame count) and a detector failure ends the streams of that batch. In {@link
 * ProcessingMode#LIVE} a stream that falls behind drops its oldest waiting frame for each new one
 * ({@link PipelineOptions#maxFramesInFlight()} bounds memory and latency), and a batch the
 * detector fails on is written without boxes ({@link StreamStats#notAnalysed()}), so a detector
 * outage does not stop the broadcast.
 *
 * <p><b>Failures.</b> A stream ends with a typed failure in its {@link StreamResult}; the other
 * streams go on. A network source reconnects under its {@link ReconnectPolicy} first.
 *
 * <p><b>Ownership.</b> The pipeline borrows the detector (close it after the pipeline) and owns
 * its threads, the sidecar it opened, and all native memory (frame buffers, FFmpeg contexts),
 * which is freed when each stream ends. Thread-safe: {@link #stats()}, {@link #stop()} and
 * {@link #await} may be called from any thread. {@link #close()} stops, waits and releases; it is
 * idempotent.
 *
 * <pre>{@code
 * try (Detector detector = Detector.open(DetectorOptions.blazeFace(model));
 *      StreamPipeline p = StreamPipeline.builder()
 *          .detector(StreamDetector.local(detector))
 *          .stream(SourceOptions.of("in.mp4"), SinkOptions.of("out.mp4"))
 *          .sidecar(Path.of("faces.jsonl"))
 *          .start()) {
 *   PipelineResult result = p.awaitCompletion();
 * }
 * }</pre>
 */
public final class StreamPipeline implements AutoCloseable {
  private final PipelineOptions options;
  private final StreamDetector detector;
  private final StageClocks clocks = new StageClocks();
  private final SidecarWriter sidecar;
  private final boolean ownsSidecar;
  private final Batcher<EncodedFrame> batcher;
  private final List<StreamRun> runs = new ArrayList<>();
  private final Map<String, StreamRun> byId = new HashMap<>();
  private final long startNanos;
  private final Thread closer;
  private volatile boolean closed;
  private volatile PipelineResult result;

  private StreamPipeline(Builder b, SidecarWriter sidecar) {
    this.options = b.options;
    this.detector = b.detector;
    this.sidecar = sidecar;
    this.ownsSidecar = b.sidecarPath != null;
    int capacity = Math.max(options.maxBatch(), b.streams.size() * options.maxFramesInFlight());
    this.batcher = Batcher.<EncodedFrame>builder()
        .consumer(this::consume)
        .maxBatchSize(options.maxBatch())
        .maxDelay(options.maxDelay())
        .queueCapacity(capacity)
        // The channels bound what can be queued, so the queue never fills; BLOCK is the safe choice.
        .overflowPolicy(OverflowPolicy.BLOCK)
        .threadName("framecodec-stream-batcher")
        .build();
    for (Map.Entry<SourceOptions, SinkOptions> e : b.streams.entrySet()) {
      StreamRun run = new StreamRun(e.getKey(), e.getValue(), options, batcher, clocks, sidecar);
      runs.add(run);
      byId.put(run.id, run);
    }
    this.startNanos = System.nanoTime();
    this.closer = new Thread(this::finishWhenDone, "framecodec-stream-closer");
    closer.setDaemon(true);
    for (StreamRun run : runs) {
      run.start();
    }
    closer.start();
  }

  /** {@return a builder with the default options} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the streams' ids, in the order they were added} */
  public List<String> streamIds() {
    return runs.stream().map(r -> r.id).toList();
  }

  /** {@return the options the pipeline runs with} */
  public PipelineOptions options() {
    return options;
  }

  /** Consumer of the shared batcher: detects the frames still waiting and routes the results. */
  private void consume(Batch<EncodedFrame> batch) {
    long start = System.nanoTime();
    List<EncodedFrame> frames = new ArrayList<>(batch.size());
    List<StreamRun> owners = new ArrayList<>(batch.size());
    for (BatchItem<EncodedFrame> item : batch.items()) {
      clocks.record(Stage.BATCH, start - item.submitNanos());
      StreamRun run = byId.get(item.streamId());
      EncodedFrame f = item.value();
      if (run != null && run.channel.claim(f.frameNumber().orElseThrow())) {
        frames.add(f);
        owners.add(run);
      }
    }
    if (frames.isEmpty()) {
      return;
    }
    List<List<Detection>> results;
    try {
      results = detector.detect(frames);
      if (results == null || results.size() != frames.size()) {
        throw new StreamException("the detector returned " + (results == null ? "null" : results.size()
            + " results") + " for " + frames.size() + " frames");
      }
    } catch (RuntimeException e) {
      detectorFailed(frames, owners, e);
      return;
    }
    long per = (System.nanoTime() - start) / frames.size();
    for (int i = 0; i < frames.size(); i++) {
      clocks.record(Stage.DETECT, per);
      owners.get(i).channel.detected(frames.get(i).frameNumber().orElseThrow(), results.get(i));
    }
  }

  private void detectorFailed(List<EncodedFrame> frames, List<StreamRun> owners, RuntimeException e) {
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (options.mode() == ProcessingMode.LIVE) {
      for (int i = 0; i < frames.size(); i++) {
        owners.get(i).channel.notAnalysed(frames.get(i).frameNumber().orElseThrow(), text);
      }
      return;
    }
    FrameCodecException failure = e instanceof FrameCodecException f ? f
        : new StreamException("the detector failed: " + text, e);
    for (StreamRun run : owners) {
      run.fail(failure);
    }
  }

  /** {@return a snapshot of every stream's and stage's counters} */
  public PipelineStats stats() {
    List<StreamStats> streams = new ArrayList<>();
    int ready = 0;
    int peakReady = 0;
    for (StreamRun run : runs) {
      streams.add(run.stats());
      int[] r = run.channel.readyDepth();
      ready += r[0];
      peakReady += r[1];
    }
    BatcherStats b = batcher.stats();
    List<StageStats> stages = new ArrayList<>();
    for (Stage s : Stage.values()) {
      stages.add(switch (s) {
        case BATCH -> clocks.snapshot(s, b.queueDepth(), b.peakQueueDepth());
        case DETECT -> clocks.snapshot(s, b.inFlight(), options.maxBatch());
        case DRAW -> clocks.snapshot(s, ready, peakReady);
        default -> clocks.snapshot(s, 0, 0);
      });
    }
    return new PipelineStats(Duration.ofNanos(System.nanoTime() - startNanos), streams, stages, b);
  }

  /** Stops reading every source now; frames already read are still processed and written. */
  public void stop() {
    for (StreamRun run : runs) {
      run.stop();
    }
  }

  /**
   * Stops reading stream {@code id} only.
   *
   * @param id the stream
   */
  public void stop(String id) {
    StreamRun run = byId.get(id);
    if (run == null) {
      throw new IllegalArgumentException("no stream '" + id + "'");
    }
    run.stop();
  }

  /** {@return whether every stream has ended and the pipeline has released its resources} */
  public boolean isDone() {
    return result != null;
  }

  /**
   * Waits up to {@code timeout} for every stream to end (its input ended, it failed, or {@link
   * #stop()} was called).
   *
   * @param timeout how long to wait
   * @return the result, or empty when the timeout passed first
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public Optional<PipelineResult> await(Duration timeout) throws InterruptedException {
    closer.join(Math.max(1, timeout.toMillis()));
    return Optional.ofNullable(result);
  }

  /**
   * Waits for every stream to end; for files, until they are fully processed.
   *
   * @return how the streams ended
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public PipelineResult awaitCompletion() throws InterruptedException {
    closer.join();
    return result;
  }

  private void finishWhenDone() {
    try {
      for (StreamRun run : runs) {
        while (!run.finished()) {
          run.join(TimeUnit.SECONDS.toMillis(1));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    batcher.close();
    if (ownsSidecar) {
      try {
        sidecar.close();
      } catch (IOException e) {
        System.getLogger(StreamPipeline.class.getName()).log(System.Logger.Level.WARNING,
            "cannot close the sidecar", e);
      }
    }
    List<StreamResult> results = new ArrayList<>();
    PipelineStats stats = stats();
    for (StreamRun run : runs) {
      results.add(new StreamResult(run.id, stats.stream(run.id), Optional.ofNullable(run.failure())));
    }
    result = new PipelineResult(results, stats);
  }

  /** Stops every stream, waits for them to end and releases everything; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try {
      closer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Collects a pipeline's streams and settings; {@link #start()} checks them and starts it. Not thread-safe. */
  public static final class Builder {
    private PipelineOptions options = PipelineOptions.defaults();
    private StreamDetector detector;
    private final Map<SourceOptions, SinkOptions> streams = new LinkedHashMap<>();
    private Path sidecarPath;
    private SidecarWriter sidecarWriter;

    private Builder() {}

    /**
     * Sets the options; default {@link PipelineOptions#defaults()}.
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(PipelineOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * Sets the detector all streams share; required.
     *
     * @param value the detector, borrowed
     * @return this builder
     */
    public Builder detector(StreamDetector value) {
      this.detector = Objects.requireNonNull(value, "detector");
      return this;
    }

    /**
     * Adds a stream from {@code source} to {@code sink}; stream ids must be distinct.
     *
     * @param source where it comes from
     * @param sink where it goes
     * @return this builder
     */
    public Builder stream(SourceOptions source, SinkOptions sink) {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(sink, "sink");
      for (SourceOptions s : streams.keySet()) {
        if (s.streamId().equals(source.streamId())) {
          throw new IllegalArgumentException("two streams with the id '" + source.streamId()
              + "'; give each source its own streamId");
        }
      }
      streams.put(source, sink);
      return this;
    }

    /**
     * Writes the detections of every stream to {@code file} as JSON Lines; the pipeline owns it.
     *
     * @param file the sidecar file, created or truncated at start
     * @return this builder
     */
    public Builder sidecar(Path file) {
      this.sidecarPath = Objects.requireNonNull(file, "file");
      this.sidecarWriter = null;
      return this;
    }

    /**
     * Writes the detections to {@code writer}, which stays the caller's to close.
     *
     * @param writer the sidecar writer
     * @return this builder
     */
    public Builder sidecar(SidecarWriter writer) {
      this.sidecarWriter = Objects.requireNonNull(writer, "writer");
      this.sidecarPath = null;
      return this;
    }

    /**
     * Starts the pipeline: its threads begin reading at once.
     *
     * @return the running pipeline
     *
     * @throws IllegalArgumentException without a detector or a stream
     * @throws java.io.UncheckedIOException when the sidecar file cannot be created
     */
    public StreamPipeline start() {
      if (detector == null) {
        throw new IllegalArgumentException("a pipeline needs a detector");
      }
      if (streams.isEmpty()) {
        throw new IllegalArgumentException("a pipeline needs at least one stream");
      }
      Ffmpeg.load();
      SidecarWriter writer = sidecarWriter;
      if (sidecarPath != null) {
        try {
          writer = SidecarWriter.open(sidecarPath);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot create the sidecar " + sidecarPath, e);
        }
      }
      return new StreamPipeline(this, writer);
    }
  }
}
