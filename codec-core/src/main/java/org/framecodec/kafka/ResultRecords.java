package org.framecodec.kafka;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.framecodec.CorruptPayloadException;
import org.framecodec.detect.Detection;
import org.framecodec.transport.DetectionsJson;

/**
 * The results topic's record layout: key = stream id; value = a {@link DetectionsJson} document
 * of one frame ({@code {"frames":[[...]]}}); headers {@link FrameHeaders#STREAM}, {@link
 * FrameHeaders#FRAME}, {@link FrameHeaders#PTS} and {@link FrameHeaders#SOURCE}. Stateless.
 */
final class ResultRecords {
  /** A result value is small JSON; anything this large is not one of ours. */
  static final int MAX_VALUE_BYTES = 4 << 20;
  private static final DetectionsJson JSON = new DetectionsJson();

  private ResultRecords() {}

  static ProducerRecord<String, byte[]> toRecord(String topic, String streamId, long frameNumber,
      long ptsMicros, List<Detection> detections, String source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 160 * detections.size());
    JSON.write(List.of(detections), out);
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, streamId, out.toByteArray());
    Headers h = r.headers();
    FrameHeaders.put(h, FrameHeaders.STREAM, streamId);
    FrameHeaders.put(h, FrameHeaders.FRAME, frameNumber);
    FrameHeaders.put(h, FrameHeaders.PTS, ptsMicros);
    FrameHeaders.put(h, FrameHeaders.SOURCE, source);
    return r;
  }

  /**
   * Reads a result record.
   *
   * @throws CorruptPayloadException when a header is missing or malformed or the value is not a
   *     one-frame detections document
   */
  static DetectionResult fromRecord(ConsumerRecord<String, byte[]> r) {
    Headers h = r.headers();
    String stream = FrameHeaders.text(h, FrameHeaders.STREAM).orElseThrow(() -> missing(r, FrameHeaders.STREAM));
    long frame = FrameHeaders.number(h, FrameHeaders.FRAME).orElseThrow(() -> missing(r, FrameHeaders.FRAME));
    long pts = FrameHeaders.number(h, FrameHeaders.PTS).orElse(0);
    String source = FrameHeaders.text(h, FrameHeaders.SOURCE).orElse("");
    byte[] v = r.value();
    if (v == null) {
      throw new CorruptPayloadException("result record " + where(r) + " has no value");
    }
    if (v.length > MAX_VALUE_BYTES) {
      throw new CorruptPayloadException("result record " + where(r) + " has " + v.length
          + " bytes; a one-frame detections document is far smaller (limit " + MAX_VALUE_BYTES + ")");
    }
    if (frame < 0) {
      throw new CorruptPayloadException("result record " + where(r) + " has frame number " + frame);
    }
    List<Detection> dets = JSON.read(v, 0, v.length, 1).get(0);
    return new DetectionResult(stream, frame, pts, dets, source);
  }

  private static CorruptPayloadException missing(ConsumerRecord<?, ?> r, String header) {
    return new CorruptPayloadException("result record " + where(r) + " lacks header " + header);
  }

  private static String where(ConsumerRecord<?, ?> r) {
    return FrameHeaders.source(r.topic(), r.partition(), r.offset());
  }
}
