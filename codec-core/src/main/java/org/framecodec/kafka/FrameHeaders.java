package org.framecodec.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.framecodec.CorruptPayloadException;

/**
 * The record headers of FrameCodec's topics. Every value is UTF-8 text (numbers in decimal), so
 * any Kafka client or {@code kcat -f '%h'} can read them; a consumer routes or filters on them
 * without parsing the record value.
 *
 * <table>
 *   <caption>headers</caption>
 *   <tr><th>header</th><th>on</th><th>value</th></tr>
 *   <tr><td>{@value #STREAM}</td><td>frames, results</td><td>stream id (also the record key)</td></tr>
 *   <tr><td>{@value #FRAME}</td><td>frames, results</td><td>frame number in its stream, from 0</td></tr>
 *   <tr><td>{@value #PTS}</td><td>frames, results</td><td>presentation timestamp, microseconds</td></tr>
 *   <tr><td>{@value #MODE}</td><td>frames</td><td>{@link org.framecodec.codec.JpegMode#wireName()},
 *       e.g. {@code cv2-yuv}</td></tr>
 *   <tr><td>{@value #SOURCE}</td><td>results, dead letters</td><td>{@code topic/partition/offset}
 *       of the frame record the record was made from</td></tr>
 *   <tr><td>{@value #ERROR}</td><td>dead letters</td><td>why the record was refused: exception
 *       class and message</td></tr>
 * </table>
 *
 * <p>On the frames topic the headers repeat what the raw container in the value already holds;
 * {@link EncodedFrameDeserializer} refuses a record whose headers disagree with its container.
 * A header that is absent means the field is absent. Stateless and thread-safe.
 */
public final class FrameHeaders {
  /** Stream id header. */
  public static final String STREAM = "framecodec.stream";
  /** Frame number header. */
  public static final String FRAME = "framecodec.frame";
  /** Presentation timestamp header, microseconds. */
  public static final String PTS = "framecodec.pts";
  /** JPEG mode header. */
  public static final String MODE = "framecodec.mode";
  /** Origin of a result or a dead letter: {@code topic/partition/offset}. */
  public static final String SOURCE = "framecodec.source";
  /** Why a dead letter was refused. */
  public static final String ERROR = "framecodec.error";

  /** Longest header value this class reads: a stream id is at most 255 UTF-8 bytes. */
  private static final int MAX_VALUE_BYTES = 1024;

  private FrameHeaders() {}

  /** Replaces header {@code key} with {@code value} as UTF-8. */
  static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces header {@code key} with {@code value} in decimal. */
  static void put(Headers headers, String key, long value) {
    put(headers, key, Long.toString(value));
  }

  /**
   * The last value of header {@code key} as text; empty when absent.
   *
   * @throws CorruptPayloadException when the value is over 1 KiB or not valid UTF-8
   * @param headers the record headers; null reads as none
   * @param key the header name
   * @return the value, empty when the header is absent
   */
  public static Optional<String> text(Headers headers, String key) {
    Header h = headers == null ? null : headers.lastHeader(key);
    if (h == null || h.value() == null) {
      return Optional.empty();
    }
    byte[] v = h.value();
    if (v.length > MAX_VALUE_BYTES) {
      throw new CorruptPayloadException("header " + key + " has " + v.length
          + " bytes; at most " + MAX_VALUE_BYTES + " are expected");
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(v)).toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CorruptPayloadException("header " + key + " is not valid UTF-8", e);
    }
  }

  /**
   * The last value of header {@code key} as a decimal number; empty when absent.
   *
   * @throws CorruptPayloadException when it is not a decimal {@code long}
   * @param headers the record headers; null reads as none
   * @param key the header name
   * @return the value, empty when the header is absent
   */
  public static OptionalLong number(Headers headers, String key) {
    Optional<String> t = text(headers, key);
    if (t.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(t.get()));
    } catch (NumberFormatException e) {
      throw new CorruptPayloadException("header " + key + " is not a decimal number: '"
          + t.get().substring(0, Math.min(40, t.get().length())) + "'");
    }
  }

  /** {@code topic/partition/offset}, the value of {@link #SOURCE}. */
  static String source(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }
}
