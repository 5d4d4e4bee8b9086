package org.framecodec.bench.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.framecodec.detect.Detection;
import org.framecodec.transport.DetectionsJson;
import org.framecodec.kafka.DetectionResult;
import org.framecodec.kafka.DetectionResultReader;

/**
 * {@code framecodec kafka results}: prints one stream's detections from a results topic, one JSON
 * line per frame, in frame order, each frame once:
 * <pre>{@code {"stream":"cam-1","frame":12,"pts":240000,"detections":[{"box":[...],"score":0.92,"class":0,"keypoints":[[x,y],...]}]}}</pre>
 */
public final class KafkaResults {
  private static final JsonFactory JSON = new JsonFactory();

  private KafkaResults() {}

  /**
   * What to read.
   *
   * @param bootstrap {@code host:port} of the brokers
   * @param topic the results topic
   * @param streamId the stream
   * @param start where to begin
   * @param count stop after this many frames; 0 for no limit
   * @param idleSeconds stop after this long without a new result; 0 to follow forever
   */
  public record Options(String bootstrap, String topic, String streamId,
      DetectionResultReader.Start start, long count, int idleSeconds) {}

  /** Prints the results; returns 0. */
  public static int run(Options o, PrintWriter out, PrintWriter err) {
    long printed = 0;
    try (DetectionResultReader reader = DetectionResultReader.builder().bootstrapServers(o.bootstrap())
        .topic(o.topic()).streamId(o.streamId()).start(o.start()).build()) {
      long idleSince = System.nanoTime();
      while (o.count() == 0 || printed < o.count()) {
        var batch = reader.poll(Duration.ofMillis(500));
        if (batch.isEmpty()) {
          if (o.idleSeconds() > 0 && System.nanoTime() - idleSince > o.idleSeconds() * 1_000_000_000L) {
            break;
          }
          continue;
        }
        idleSince = System.nanoTime();
        for (DetectionResult r : batch) {
          out.println(line(r));
          printed++;
          if (o.count() > 0 && printed >= o.count()) {
            break;
          }
        }
        out.flush();
      }
      err.printf("kafka results: %d frames of stream %s from %s; %d duplicates dropped, %d malformed%n",
          printed, o.streamId(), reader.partition(), reader.duplicates(), reader.malformed());
      err.flush();
    }
    return 0;
  }

  /** One result as a JSON line. */
  static String line(DetectionResult r) {
    StringWriter s = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(s)) {
      g.writeStartObject();
      g.writeStringField("stream", r.streamId());
      g.writeNumberField("frame", r.frameNumber());
      g.writeNumberField("pts", r.ptsMicros());
      g.writeArrayFieldStart("detections");
      for (Detection d : r.detections()) {
        DetectionsJson.writeDetection(g, d, false);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString();
  }
}
