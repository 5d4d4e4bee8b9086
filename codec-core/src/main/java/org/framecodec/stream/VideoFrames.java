package org.framecodec.stream;

import java.util.Objects;
import org.framecodec.frames.Frame;

/**
 * The video frames of one source, decoded in order with their container timestamps: the stream
 * package's source on its own, for a caller that sends frames somewhere other than a
 * {@link StreamPipeline} (a Kafka producer, its own encoder). Audio is skipped.
 *
 * <p>Network sources behave as in a pipeline: the read timeout, reconnection with back-off under
 * the source's {@link ReconnectPolicy}, and timestamps kept increasing across connections. In
 * {@link ProcessingMode#LIVE} a file is read at its own pace, as a camera would deliver it, and a
 * network source that ends is reconnected; in {@link ProcessingMode#FILE} everything is read as
 * fast as it decodes and the end of the input is the end.
 *
 * <pre>{@code
 * try (VideoFrames video = VideoFrames.open(SourceOptions.builder("clip.mp4").build(), ProcessingMode.FILE)) {
 *   while (video.next()) {
 *     Frame frame = video.frame();          // BGR, valid until the next call
 *     long pts = video.ptsMicros();
 *   }
 * }
 * }</pre>
 *
 * <p>Buffers: {@link #frame()} is a view of native memory this object owns and overwrites on the
 * next {@link #next()}; copy it ({@link Frame#toByteArray()}) to keep it longer. Thread-safety:
 * one thread reads; {@link #stop()} may be called from any thread and makes a blocked
 * {@link #next()} return {@code false}. {@link #close()} frees the native memory and must come
 * after the reading thread is done.
 */
public final class VideoFrames implements AutoCloseable {
  private final SourceReader reader;
  private final FrameBuffer buffer = new FrameBuffer();
  private long frameNumber = -1;
  private long pts;
  private boolean closed;

  private VideoFrames(SourceReader reader) {
    this.reader = reader;
  }

  /**
   * Prepares to read a source; nothing is opened until the first {@link #next()}.
   *
   * @param options the source (URL or file, timeouts, reconnection)
   * @param mode {@link ProcessingMode#FILE} to read everything as fast as possible, or
   *     {@link ProcessingMode#LIVE} to read at the source's pace
   * @return the frames, to be closed by the caller
   */
  public static VideoFrames open(SourceOptions options, ProcessingMode mode) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(mode, "mode");
    return new VideoFrames(new SourceReader(options, mode, new StreamCounters()));
  }

  /**
   * Reads up to the next video frame.
   *
   * @return {@code true} with a new {@link #frame()}; {@code false} at the end of the input or
   *     after {@link #stop()}
   * @throws SourceUnavailableException when the source cannot be opened or does not come back
   *     within its reconnection policy
   * @throws UnsupportedStreamException when the input has no video FFmpeg can decode
   * @throws CorruptStreamException when a file cannot be parsed
   * @throws IllegalStateException after {@link #close()}
   * @throws InterruptedException if interrupted while a live source is paced
   */
  public boolean next() throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("these video frames are closed");
    }
    while (true) {
      FfmpegInput.Kind kind = reader.next();
      switch (kind) {
        case END -> {
          return false;
        }
        case AUDIO -> reader.takeAudio().free();
        case VIDEO -> {
          reader.pace();
          buffer.ensure(reader.frameWidth(), reader.frameHeight());
          reader.convertTo(buffer);
          pts = reader.pts();
          frameNumber++;
          return true;
        }
        default -> throw new IllegalStateException("unexpected " + kind);
      }
    }
  }

  /** {@return the current frame, BGR; a view valid until the next {@link #next()} or {@link #close()}} */
  public Frame frame() {
    requireFrame();
    return buffer.frame();
  }

  /** {@return the current frame's presentation timestamp in microseconds, from the container} */
  public long ptsMicros() {
    requireFrame();
    return pts;
  }

  /** {@return the current frame's position in the source, from 0} */
  public long frameNumber() {
    requireFrame();
    return frameNumber;
  }

  /** Ends reading from any thread: a blocked {@link #next()} returns {@code false}. */
  public void stop() {
    reader.stop();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      reader.close();
      buffer.free();
    }
  }

  private void requireFrame() {
    if (closed) {
      throw new IllegalStateException("these video frames are closed");
    }
    if (frameNumber < 0) {
      throw new IllegalStateException("no frame yet: call next() first");
    }
  }
}
