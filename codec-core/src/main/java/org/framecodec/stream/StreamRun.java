package org.framecodec.stream;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;
import org.framecodec.FrameCodecException;
import org.framecodec.batch.Batcher;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;

/**
 * One stream of a pipeline: a reader thread (source, decode, encode to payload, submit to the
 * shared batcher) and a writer thread (draw, sidecar, H.264 encode and mux), meeting in the
 * stream's {@link StreamChannel}. The first failure of either thread ends the stream and is kept
 * for its {@link StreamResult}. Package-private; {@link StreamPipeline} owns the runs.
 */
final class StreamRun {
  private static final System.Logger LOG = System.getLogger(StreamRun.class.getName());

  final String id;
  private final SourceOptions source;
  private final SinkOptions sink;
  private final PipelineOptions options;
  private final Batcher<EncodedFrame> batcher;
  private final StageClocks clocks;
  private final SidecarWriter sidecar;
  final StreamCounters counters = new StreamCounters();
  final StreamChannel channel;
  private final SourceReader reader;
  private final AtomicReference<FrameCodecException> failure = new AtomicReference<>();
  private final Thread readerThread;
  private final Thread writerThread;
  private volatile FfmpegOutput output;

  StreamRun(SourceOptions source, SinkOptions sink, PipelineOptions options,
      Batcher<EncodedFrame> batcher, StageClocks clocks, SidecarWriter sidecar) {
    this.id = source.streamId();
    this.source = source;
    this.sink = sink;
    this.options = options;
    this.batcher = batcher;
    this.clocks = clocks;
    this.sidecar = sidecar;
    this.channel = new StreamChannel(id, options.mode(), options.maxFramesInFlight(), counters);
    this.reader = new SourceReader(source, options.mode(), counters);
    this.readerThread = new Thread(this::readLoop, "framecodec-stream-read-" + id);
    this.writerThread = new Thread(this::writeLoop, "framecodec-stream-write-" + id);
    readerThread.setDaemon(true);
    writerThread.setDaemon(true);
  }

  void start() {
    writerThread.start();
    readerThread.start();
  }

  /** Ends reading now; what was read is still written. */
  void stop() {
    reader.stop();
  }

  /** Ends the stream because of {@code e} (the first failure wins). */
  void fail(FrameCodecException e) {
    if (failure.compareAndSet(null, e)) {
      LOG.log(System.Logger.Level.WARNING, id + ": " + e.getMessage());
    }
    reader.stop();
    channel.cancel();
  }

  void join(long millis) throws InterruptedException {
    readerThread.join(millis);
    writerThread.join(millis);
  }

  boolean finished() {
    return !readerThread.isAlive() && !writerThread.isAlive();
  }

  FrameCodecException failure() {
    return failure.get();
  }

  private void readLoop() {
    long frameNumber = 0;
    long readNanos = 0;
    boolean live = options.mode() == ProcessingMode.LIVE;
    long lagBudgetNanos = 0;
    try (JpegCodec codec = JpegCodec.open(options.backend(), options.limits())) {
      boolean infoPublished = false;
      while (true) {
        long t0 = System.nanoTime();
        FfmpegInput.Kind kind = reader.next();
        readNanos += System.nanoTime() - t0;
        if (!infoPublished && reader.info() != null) {
          channel.publishInfo(reader.info());
          infoPublished = true;
          // Live mode lets a frame be at most as late at the reader as the channel is deep.
          lagBudgetNanos = options.maxFramesInFlight() * reader.info().frameDurationMicros * 1000;
        }
        if (kind == FfmpegInput.Kind.END) {
          break;
        }
        if (kind == FfmpegInput.Kind.AUDIO) {
          counters.audioIn.incrementAndGet();
          channel.addAudio(reader.takeAudio());
          continue;
        }
        reader.pace();
        long pts = reader.pts();
        long now = System.nanoTime();
        counters.frameIn(now);
        if (live && now - reader.glassNanos() > lagBudgetNanos) {
          // The reader itself is behind (CPU starved, or a burst): converting and encoding a frame
          // that is already late would only make the next one later. Decoded, then let go.
          reader.skipFrame();
          counters.dropped.incrementAndGet();
          clocks.record(Stage.DECODE, readNanos);
          readNanos = 0;
          frameNumber++;
          continue;
        }
        StreamChannel.Entry e = channel.admit(frameNumber, pts, reader.glassNanos());
        if (e == null) {
          reader.skipFrame();
          break;
        }
        if (e == StreamChannel.DROPPED) {
          reader.skipFrame();
          clocks.record(Stage.DECODE, readNanos);
          readNanos = 0;
          frameNumber++;
          continue;
        }
        try {
          long t1 = System.nanoTime();
          reader.convertTo(e.buffer);
          long t2 = System.nanoTime();
          clocks.record(Stage.DECODE, readNanos + (t2 - t1));
          readNanos = 0;
          EncodedFrame payload = codec.encodeFrame(e.buffer.frame(), options.encode())
              .inStream(id, frameNumber, pts);
          clocks.record(Stage.ENCODE, System.nanoTime() - t2);
          channel.submitted(e);
          batcher.submit(id, pts, payload);
        } catch (RuntimeException ex) {
          channel.abandon(e);
          throw ex;
        }
        frameNumber++;
        reader.syncCounters();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (FrameCodecException e) {
      fail(e);
    } catch (IllegalStateException e) {
      // The batcher closed under us: the pipeline is shutting down.
      if (!reader.stopped()) {
        fail(new StreamException(id + ": " + e.getMessage(), e));
      }
    } catch (RuntimeException e) {
      fail(new StreamException(id + ": reading failed: " + e, e));
    } finally {
      reader.syncCounters();
      reader.close();
      channel.endInput();
    }
  }

  private void writeLoop() {
    FfmpegOutput out = null;
    try {
      SourceInfo info = channel.awaitInfo();
      if (info == null) {
        return;
      }
      out = FfmpegOutput.open(sink, new Interrupter(), info.width, info.height, info.fps,
          info.audio(), info.audioTbNum, info.audioTbDen);
      output = out;
      while (true) {
        StreamChannel.Work w = channel.next();
        for (AudioPacket a : w.audio()) {
          if (out.writeAudio(a)) {
            counters.audioOut.incrementAndGet();
          } else {
            counters.audioDropped.incrementAndGet();
          }
        }
        StreamChannel.Entry e = w.entry();
        if (e != null) {
          writeFrame(out, e);
        }
        if (w.end()) {
          break;
        }
      }
      if (failure.get() == null) {
        out.finish();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (FrameCodecException e) {
      fail(e);
    } catch (UncheckedIOException e) {
      fail(new SinkException(id + ": cannot write the sidecar: " + e.getCause(), e));
    } catch (RuntimeException e) {
      fail(new SinkException(id + ": writing failed: " + e, e));
    } finally {
      if (out != null) {
        out.close();
      }
      // The buffers may be freed only when the reader has let go of them too.
      reader.stop();
      channel.cancel();
      try {
        readerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      channel.freeAll();
      counters.finished = true;
    }
  }

  private void writeFrame(FfmpegOutput out, StreamChannel.Entry e) {
    FrameBuffer b = e.buffer;
    long t0 = System.nanoTime();
    if (!e.detections.isEmpty()) {
      options.annotator().draw(b.pointer(), b.width(), b.height(), b.stride(), e.detections);
    }
    long t1 = System.nanoTime();
    clocks.record(Stage.DRAW, t1 - t0);
    out.writeVideo(b, e.ptsMicros);
    long t2 = System.nanoTime();
    clocks.record(Stage.SINK, t2 - t1);
    if (sidecar != null) {
      if (e.error == null) {
        sidecar.write(id, e.frameNumber, e.ptsMicros, b.width(), b.height(), e.detections);
      } else {
        sidecar.writeNotAnalysed(id, e.frameNumber, e.ptsMicros, b.width(), b.height(), e.error);
      }
    }
    if (e.error != null) {
      counters.notAnalysed.incrementAndGet();
    }
    counters.frameOut(System.nanoTime(), e.glassNanos);
    channel.written(e);
  }

  StreamStats stats() {
    return counters.snapshot(id, channel.inFlight(), System.nanoTime());
  }
}
