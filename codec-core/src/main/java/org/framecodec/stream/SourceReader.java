package org.framecodec.stream;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.framecodec.FrameCodecException;

/**
 * A source as one endless sequence of video frames and audio packets: opens it, reconnects with
 * back-off under its {@link ReconnectPolicy} when a network connection fails, stalls or ends,
 * and keeps timestamps moving forward across connections (a server that restarts its clock at 0
 * would otherwise send the muxer backwards).
 *
 * <p>It also keeps each frame's "glass" time, the moment it was due: in live mode the earliest
 * arrival consistent with its pts on this connection (so a burst of cached frames does not count
 * as late, and real lateness does), in file mode its read time. With {@code realtime} it paces
 * reading to the timestamps, as {@code ffmpeg -re} does.
 *
 * <p>Not thread-safe: the reader thread calls everything except {@link #stop()}.
 */
final class SourceReader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SourceReader.class.getName());

  private final SourceOptions options;
  private final ProcessingMode mode;
  private final StreamCounters counters;
  private final boolean realtime;
  private final Interrupter interrupter = new Interrupter();
  private final ReentrantLock sleepLock = new ReentrantLock();
  private final Condition wake = sleepLock.newCondition();
  private volatile boolean stopped;
  private FfmpegInput input;
  private SourceInfo info;
  private int connections;
  private int failuresInARow;
  private boolean audioUsable;
  private long decodeErrorsBefore;
  // Timestamps: offset added to this connection's, the latest handed out, the frame period.
  private long offsetMicros;
  private long lastMicros = Long.MIN_VALUE;
  private boolean newConnection;
  // Glass clock of this connection: min over frames of (arrival - pts); pacing anchor.
  private long glassOffsetNanos;
  private boolean glassAnchored;
  private long framePts;
  private long frameGlass;
  private AudioPacket audio;

  SourceReader(SourceOptions options, ProcessingMode mode, StreamCounters counters) {
    this.options = options;
    this.mode = mode;
    this.counters = counters;
    this.realtime = options.realtime(mode);
  }

  /** The first connection's description; null before its first frame was decoded. */
  SourceInfo info() {
    return info;
  }

  /**
   * The next video frame ({@link FfmpegInput.Kind#VIDEO}: {@link #pts()}, {@link #glassNanos()},
   * {@link #convertTo}), audio packet ({@link FfmpegInput.Kind#AUDIO}: {@link #takeAudio()}), or
   * the end ({@link FfmpegInput.Kind#END}, also after {@link #stop()}).
   *
   * @throws SourceUnavailableException when the source cannot be opened or comes not back
   * @throws UnsupportedStreamException, CorruptStreamException for input that cannot be processed
   */
  FfmpegInput.Kind next() {
    while (true) {
      if (stopped) {
        return FfmpegInput.Kind.END;
      }
      if (input == null) {
        connect();
        if (input == null) {
          return FfmpegInput.Kind.END;
        }
      }
      FfmpegInput.Kind kind;
      try {
        kind = input.next();
      } catch (FrameCodecException e) {
        // A stop aborts FFmpeg mid-read, which it may report as anything (a cut-short read looks
        // like damaged data): after a stop every failure is just the end.
        if (stopped) {
          return FfmpegInput.Kind.END;
        }
        if (e instanceof UnsupportedStreamException) {
          throw e;
        }
        if (!options.isNetwork()) {
          throw e;
        }
        lost(e);
        continue;
      }
      switch (kind) {
        case END -> {
          if (options.isNetwork() && mode == ProcessingMode.LIVE && !stopped) {
            lost(new StreamException(options.url() + " ended"));
            continue;
          }
          return kind;
        }
        case VIDEO -> {
          failuresInARow = 0;
          if (info == null) {
            info = new SourceInfo(input, input.frameWidth(), input.frameHeight());
          }
          long pts = shift(input.framePtsMicros());
          framePts = pts;
          frameGlass = glassFor(pts);
          return kind;
        }
        case AUDIO -> {
          AVPacket p = input.takeAudio();
          if (!audioUsable) {
            av_packet_free(p);
            counters.audioDropped.incrementAndGet();
            continue;
          }
          long raw = p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
          if (raw == AV_NOPTS_VALUE) {
            av_packet_free(p);
            counters.audioDropped.incrementAndGet();
            continue;
          }
          long pts = shift(Ffmpeg.toMicros(raw, input.audioTbNum(), input.audioTbDen()));
          audio = new AudioPacket(p, input.audioTbNum(), input.audioTbDen(), pts, offsetMicros);
          return kind;
        }
        default -> throw new IllegalStateException("unexpected " + kind);
      }
    }
  }

  /** Applies the connection's offset, choosing it at the connection's first packet. */
  private long shift(long micros) {
    if (newConnection) {
      newConnection = false;
      if (lastMicros != Long.MIN_VALUE && micros + offsetMicros <= lastMicros) {
        offsetMicros = lastMicros + (info != null ? info.frameDurationMicros : 40_000) - micros;
      }
    }
    long shifted = micros + offsetMicros;
    lastMicros = Math.max(lastMicros, shifted);
    return shifted;
  }

  private long glassFor(long ptsMicros) {
    long now = System.nanoTime();
    long candidate = now - ptsMicros * 1000;
    if (!glassAnchored) {
      glassOffsetNanos = candidate;
      glassAnchored = true;
    } else if (!realtime && candidate < glassOffsetNanos) {
      glassOffsetNanos = candidate;
    }
    return mode == ProcessingMode.LIVE ? glassOffsetNanos + ptsMicros * 1000 : now;
  }

  /** With realtime pacing, waits until the last frame is due; returns at once otherwise or when stopped. */
  void pace() throws InterruptedException {
    if (!realtime) {
      return;
    }
    long due = glassOffsetNanos + framePts * 1000;
    sleepUntil(due);
  }

  long pts() {
    return framePts;
  }

  long glassNanos() {
    return frameGlass;
  }

  int frameWidth() {
    return input.frameWidth();
  }

  int frameHeight() {
    return input.frameHeight();
  }

  void convertTo(FrameBuffer dst) {
    input.convertTo(dst);
  }

  void skipFrame() {
    input.skipFrame();
  }

  /** The audio packet {@link #next()} returned; the caller owns it. */
  AudioPacket takeAudio() {
    AudioPacket p = audio;
    audio = null;
    return p;
  }

  private void lost(FrameCodecException cause) {
    LOG.log(System.Logger.Level.WARNING, options.streamId() + ": connection lost (" + cause.getMessage() + "); reconnecting");
    closeInput();
    failuresInARow++;
    lastFailure = cause;
  }

  private FrameCodecException lastFailure;

  private void connect() {
    ReconnectPolicy policy = options.reconnect();
    while (!stopped) {
      int attempt = failuresInARow;
      if (attempt > policy.maxAttempts()) {
        throw new SourceUnavailableException(options.url() + " is unavailable after "
            + attempt + " failed attempt(s): " + lastFailure.getMessage(), attempt, lastFailure);
      }
      if (attempt > 0) {
        try {
          sleepFor(policy.delayBefore(attempt).toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopped = true;
          return;
        }
        if (stopped) {
          return;
        }
      }
      try {
        input = FfmpegInput.open(options, interrupter);
      } catch (UnsupportedStreamException | CorruptStreamException e) {
        if (stopped) {
          return;
        }
        if (!options.isNetwork() || e instanceof UnsupportedStreamException) {
          throw e;
        }
        failuresInARow++;
        lastFailure = e;
        continue;
      } catch (FrameCodecException e) {
        if (stopped) {
          return;
        }
        failuresInARow++;
        lastFailure = e;
        if (!options.isNetwork()) {
          throw new SourceUnavailableException("cannot open " + options.url() + ": " + e.getMessage(), 1, e);
        }
        LOG.log(System.Logger.Level.DEBUG, options.streamId() + ": attempt " + failuresInARow + " failed: " + e.getMessage());
        continue;
      }
      connections++;
      if (connections > 1) {
        counters.reconnects.incrementAndGet();
      }
      // The connection that delivers the first frame sets the audio format the sink takes;
      // later connections must match it for their audio to pass.
      audioUsable = info == null ? input.hasAudio() : info.audioMatches(input);
      newConnection = true;
      glassAnchored = false;
      decodeErrorsBefore = counters.decodeErrors.get();
      return;
    }
  }

  private void sleepFor(long nanos) throws InterruptedException {
    sleepUntil(System.nanoTime() + nanos);
  }

  private void sleepUntil(long deadline) throws InterruptedException {
    sleepLock.lock();
    try {
      long left;
      while (!stopped && (left = deadline - System.nanoTime()) > 0) {
        wake.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      }
    } finally {
      sleepLock.unlock();
    }
  }

  /** Ends reading from any thread: a blocked read or back-off returns, {@link #next()} gives END. */
  void stop() {
    stopped = true;
    interrupter.abort();
    sleepLock.lock();
    try {
      wake.signalAll();
    } finally {
      sleepLock.unlock();
    }
  }

  boolean stopped() {
    return stopped;
  }

  private void closeInput() {
    if (input != null) {
      counters.decodeErrors.set(decodeErrorsBefore + input.decodeErrors());
      input.close();
      input = null;
    }
  }

  /** Updates the decode-error count from the open connection. */
  void syncCounters() {
    if (input != null) {
      counters.decodeErrors.set(decodeErrorsBefore + input.decodeErrors());
    }
  }

  @Override
  public void close() {
    if (audio != null) {
      audio.free();
      audio = null;
    }
    closeInput();
    interrupter.close();
  }
}
