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

/**
 * {@code framecodec kafka produce}: sends images to a frames topic as one stream, through a
 * {@link FrameProducer} (encoded on a pool of threads, one record per frame, key = stream id).
 * The images are frames 0..n-1 of the stream, repeated {@code repeat} times, at {@code fps}
 * (0: as fast as the producer takes them); pts is the frame number times the frame interval.
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
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "stream %s -> %s: %d frames offered, %d acked (%,d bytes), %d dropped,"
        + " %d failed; %.1f frames/s, %.1f MB/s over %.1f s%n", o.streamId(), o.topic(), s.offered(),
        s.acked(), s.ackedBytes(), s.dropped(), s.encodeFailures() + s.sendFailures() + s.unsent(),
        s.acked() / seconds, s.ackedBytes() / seconds / 1e6, seconds);
    return s.acked() == s.offered() ? 0 : 1;
  }
}
