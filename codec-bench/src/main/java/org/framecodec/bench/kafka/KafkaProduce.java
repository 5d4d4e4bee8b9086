package org.framecodec.bench.kafka;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.frames.Frame;
import org.framecodec.kafka.FrameProducer;
import org.framecodec.kafka.FrameProducerStats;
import org.framecodec.stream.ProcessingMode;
import org.framecodec.stream.SourceOptions;
import org.framecodec.stream.VideoFrames;

/**
 * {@code framecodec kafka produce}: sends images to a frames topic as one stream, through a
 * {@link FrameProducer} (encoded on a pool of threads, one record per frame, key = stream id).
 * The images are frames 0..n-1 of the stream, repeated {@code repeat} times, at {@code fps}
 * (0: as fast as the producer takes them); pts is the frame number times the frame interval. Or
 * the frames of a video file or live URL, each with its container pts ({@link #runVideo}).
 */
public final class KafkaProduce {
  private KafkaProduce() {}

  /**
   * What to send and how.
   *
   * @param bootstrap {@code host:port} of the brokers
   * @param topic the frames topic
   * @param streamId the stream id (record key)
   * @param frames the images, in order
   * @param repeat how many times to send the whole list
   * @param firstFrame the first frame number
   * @param fps frames per second to pace at, 0 for as fast as possible
   * @param encode the encoding
   * @param policy what a full queue does
   * @param threads encoder threads
   */
  public record Options(String bootstrap, String topic, String streamId, List<Frame> frames,
      int repeat, long firstFrame, double fps, EncodeOptions encode, OverflowPolicy policy,
      int threads) {}

  /** Sends the frames, waits for the broker, prints the counts; returns 0, or 1 if any frame was lost. */
  public static int run(Options o, PrintWriter out) throws InterruptedException {
    long intervalMicros = o.fps() > 0 ? Math.round(1e6 / o.fps()) : 20_000;
    long total = (long) o.repeat() * o.frames().size();
    long start = System.nanoTime();
    FrameProducerStats s;
    try (FrameProducer producer = FrameProducer.builder().bootstrapServers(o.bootstrap())
        .topic(o.topic()).encodeOptions(o.encode()).overflowPolicy(o.policy())
        .encodeThreads(o.threads()).build()) {
      for (long i = 0; i < total; i++) {
        if (o.fps() > 0) {
          long due = start + TimeUnit.MICROSECONDS.toNanos(i * intervalMicros);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        long n = o.firstFrame() + i;
        producer.submit(o.streamId(), n, n * intervalMicros, o.frames().get((int) (i % o.frames().size())));
      }
      producer.flush();
      s = producer.stats();
    }
    return report(o.streamId(), o.topic(), s, (System.nanoTime() - start) / 1e9, out);
  }

  /**
   * What video to send and how.
   *
   * @param bootstrap {@code host:port} of the brokers
   * @param topic the frames topic
   * @param streamId the stream id (record key)
   * @param url a video file or a live URL
   * @param live read at the source's pace and reconnect, rather than as fast as possible
   * @param firstFrame the number of the video's first frame
   * @param encode the encoding
   * @param policy what a full queue does
   * @param threads encoder threads
   */
  public record VideoOptions(String bootstrap, String topic, String streamId, String url, boolean live,
      long firstFrame, EncodeOptions encode, OverflowPolicy policy, int threads) {}

  /**
   * Sends every decoded frame of a video with its pts until the video ends (or, live, until its
   * source is gone for good), waits for the broker, prints the counts; returns 0, or 1 if any frame
   * was lost. Each frame is copied off the decoder's buffer before it is queued, since the encoder
   * threads read it later.
   */
  public static int runVideo(VideoOptions o, PrintWriter out) throws InterruptedException {
    long start = System.nanoTime();
    FrameProducerStats s;
    SourceOptions source = SourceOptions.builder(o.url()).streamId(o.streamId()).build();
    try (FrameProducer producer = FrameProducer.builder().bootstrapServers(o.bootstrap())
        .topic(o.topic()).encodeOptions(o.encode()).overflowPolicy(o.policy())
        .encodeThreads(o.threads()).build();
        VideoFrames video = VideoFrames.open(source, o.live() ? ProcessingMode.LIVE : ProcessingMode.FILE)) {
      while (video.next()) {
        Frame f = video.frame();
        Frame copy = Frame.wrap(f.toByteArray(), f.format(), f.width(), f.height());
        producer.submit(o.streamId(), o.firstFrame() + video.frameNumber(), video.ptsMicros(), copy);
      }
      producer.flush();
      s = producer.stats();
    }
    return report(o.streamId(), o.topic(), s, (System.nanoTime() - start) / 1e9, out);
  }

  private static int report(String streamId, String topic, FrameProducerStats s, double seconds, PrintWriter out) {
    out.printf(Locale.ROOT, "stream %s -> %s: %d frames offered, %d acked (%,d bytes), %d dropped,"
        + " %d failed; %.1f frames/s, %.1f MB/s over %.1f s%n", streamId, topic, s.offered(),
        s.acked(), s.ackedBytes(), s.dropped(), s.encodeFailures() + s.sendFailures() + s.unsent(),
        s.acked() / seconds, s.ackedBytes() / seconds / 1e6, seconds);
    return s.acked() == s.offered() ? 0 : 1;
  }
}
