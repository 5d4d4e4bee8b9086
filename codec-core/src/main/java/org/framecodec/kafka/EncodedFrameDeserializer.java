package org.framecodec.kafka;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.RawContainer;

/**
 * Reads a record value written by {@link EncodedFrameSerializer}: the raw container of exactly
 * one frame. Bad input behaves as in {@link RawContainer#read(byte[])}: a typed
 * {@link org.framecodec.FrameFormatException} ({@link CorruptPayloadException} for damage, a bad
 * CRC or a container of other than one frame; {@link org.framecodec.PayloadTooLargeException}
 * past the {@link Limits}; {@link org.framecodec.UnsupportedPayloadException} for an unknown
 * version or mode), never a wrong frame. With record headers, each FrameCodec header that is
 * present must agree with the container, or the record is corrupt.
 *
 * <p><b>Pitfall:</b> a {@code KafkaConsumer} configured with this deserializer throws
 * {@code RecordDeserializationException} from {@code poll()} at a bad record and stays at its
 * offset until the application seeks past it. {@link DetectionWorker} avoids this by reading raw
 * bytes and calling {@link #deserialize(String, Headers, byte[])} itself, so that a poison record
 * goes to the dead-letter topic.
 *
 * <p>The frame's payload is a view of the record's value array (no copy). {@code null} (a
 * tombstone) reads as {@code null}. Stateless apart from its limits; thread-safe.
 */
public final class EncodedFrameDeserializer implements Deserializer<EncodedFrame> {
  private final RawContainer container;

  /** A deserializer with {@link Limits#defaults()}. */
  public EncodedFrameDeserializer() {
    this(Limits.defaults());
  }

  /**
   * A deserializer whose reader enforces {@code limits}.
   *
   * @param limits the limits to enforce
   */
  public EncodedFrameDeserializer(Limits limits) {
    this.container = new RawContainer(Objects.requireNonNull(limits, "limits"));
  }

  @Override
  public EncodedFrame deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    List<EncodedFrame> frames = container.read(data);
    if (frames.size() != 1) {
      throw new CorruptPayloadException("a frame record must hold one frame; this raw container"
          + " holds " + frames.size());
    }
    return frames.get(0);
  }

  @Override
  public EncodedFrame deserialize(String topic, Headers headers, byte[] data) {
    EncodedFrame frame = deserialize(topic, data);
    if (frame != null && headers != null) {
      check(FrameHeaders.STREAM, FrameHeaders.text(headers, FrameHeaders.STREAM), frame.streamId());
      check(FrameHeaders.FRAME, FrameHeaders.number(headers, FrameHeaders.FRAME), frame.frameNumber());
      check(FrameHeaders.PTS, FrameHeaders.number(headers, FrameHeaders.PTS), frame.timestampMicros());
      Optional<String> mode = FrameHeaders.text(headers, FrameHeaders.MODE);
      if (mode.isPresent() && !mode.get().equals(frame.mode().wireName())) {
        throw mismatch(FrameHeaders.MODE, mode.get(), frame.mode().wireName());
      }
    }
    return frame;
  }

  private static void check(String key, Optional<String> header, Optional<String> field) {
    if (header.isPresent() && !header.equals(field)) {
      throw mismatch(key, header.get(), field.orElse("none"));
    }
  }

  private static void check(String key, OptionalLong header, OptionalLong field) {
    if (header.isPresent() && !header.equals(field)) {
      throw mismatch(key, Long.toString(header.getAsLong()),
          field.isPresent() ? Long.toString(field.getAsLong()) : "none");
    }
  }

  private static CorruptPayloadException mismatch(String key, String header, String container) {
    return new CorruptPayloadException("header " + key + " says '" + header
        + "' but the frame's container says '" + container + "'");
  }
}
