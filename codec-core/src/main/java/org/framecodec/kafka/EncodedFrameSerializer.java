package org.framecodec.kafka;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.RawContainer;

/**
 * Writes an {@link EncodedFrame} as a Kafka record value: the {@link RawContainer} of that one
 * frame, with its CRC-32C, so the value alone is a complete, checked frame (about 30 bytes more
 * than the JPEG). When the client passes record headers, it also sets {@link FrameHeaders#STREAM},
 * {@link FrameHeaders#FRAME}, {@link FrameHeaders#PTS} and {@link FrameHeaders#MODE} from the
 * frame (replacing any of the same name), so consumers can route on them without parsing.
 *
 * <p>Use the stream id as the record key (as {@link FrameProducer} does) so that a stream maps to
 * one partition and stays in order. A 1080p {@code cv2-yuv} q80 frame is 100-200 KB and fits
 * Kafka's default 1 MiB record limit; at quality 95 and above it may not (raise the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes}).
 *
 * <p>Each call returns a new array; the frame's payload is copied, not kept. Stateless and
 * thread-safe. {@code null} serialises to {@code null}.
 */
public final class EncodedFrameSerializer implements Serializer<EncodedFrame> {
  private final RawContainer container = new RawContainer();

  @Override
  public byte[] serialize(String topic, EncodedFrame frame) {
    return frame == null ? null : container.toBytes(frame);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, EncodedFrame frame) {
    if (frame != null && headers != null) {
      writeHeaders(frame, headers);
    }
    return serialize(topic, frame);
  }

  /** Sets the routing headers of {@code frame}; absent fields remove their header. */
  static void writeHeaders(EncodedFrame frame, Headers headers) {
    headers.remove(FrameHeaders.STREAM);
    headers.remove(FrameHeaders.FRAME);
    headers.remove(FrameHeaders.PTS);
    frame.streamId().ifPresent(id -> FrameHeaders.put(headers, FrameHeaders.STREAM, id));
    frame.frameNumber().ifPresent(n -> FrameHeaders.put(headers, FrameHeaders.FRAME, n));
    frame.timestampMicros().ifPresent(t -> FrameHeaders.put(headers, FrameHeaders.PTS, t));
    FrameHeaders.put(headers, FrameHeaders.MODE, frame.mode().wireName());
  }
}
