package org.framecodec.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.framecodec.codec.EncodedFrame;

/**
 * Writes frames in a chosen {@link Framing}; the counterpart of {@link WireReader}.
 *
 * <ul>
 *   <li>{@link Framing#JSON}: one frame as an envelope, a batch as {@code {"frames": [...]}}
 *       ({@link JsonEnvelope}).</li>
 *   <li>{@link Framing#RAW}: a {@link RawContainer} of one frame or the batch.</li>
 *   <li>{@link Framing#BASE64}: the payload's base64 text, ASCII, nothing else: what the Python
 *       peer's decode function takes. Shape, mode, quality, timestamp and stream id are not
 *       sent.</li>
 *   <li>{@link Framing#JPEG}: the payload bytes as they are; the metadata is not sent either.</li>
 * </ul>
 * BASE64 and JPEG carry one frame; asking them for a batch is an {@link IllegalArgumentException}.
 * Send each message with {@link Framing#contentType()}. Immutable and thread-safe.
 */
public final class WireWriter {
  private final RawContainer raw = new RawContainer();
  private final JsonEnvelope json = new JsonEnvelope();

  /**
   * {@return a new array holding one frame in {@code framing}}
   *
   * @param framing {@link org.framecodec.wire.Framing#JSON} or {@link
   *     org.framecodec.wire.Framing#RAW}
   * @param frame the frame
   */
  public byte[] write(Framing framing, EncodedFrame frame) {
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(frame, "frame");
    return switch (framing) {
      case JSON -> json.toBytes(frame);
      case RAW -> raw.toBytes(frame);
      case BASE64 -> {
        byte[] out = new byte[Base64Codec.encodedLength(frame.payloadLength())];
        Base64Codec.encode(frame.payloadArray(), frame.payloadOffset(), frame.payloadLength(), out, 0);
        yield out;
      }
      case JPEG -> frame.payloadCopy();
    };
  }

  /**
   * Writes one frame in {@code framing} to a stream, which is not closed.
   *
   * @param framing {@link org.framecodec.wire.Framing#JSON} or {@link
   *     org.framecodec.wire.Framing#RAW}
   * @param frame the frame
   * @param out where to write; not closed
   */
  public void write(Framing framing, EncodedFrame frame, OutputStream out) {
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(out, "out");
    try {
      switch (framing) {
        case JSON -> json.write(frame, out);
        case RAW -> raw.write(frame, out);
        case BASE64 -> out.write(write(framing, frame));
        case JPEG -> out.write(frame.payloadArray(), frame.payloadOffset(), frame.payloadLength());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + framing + " message", e);
    }
  }

  /**
   * {@return a new array holding a batch in {@code framing}, which must be JSON or RAW}
   *
   * @param framing {@link org.framecodec.wire.Framing#JSON} or {@link
   *     org.framecodec.wire.Framing#RAW}
   * @param frames the frames, in order
   */
  public byte[] writeBatch(Framing framing, List<EncodedFrame> frames) {
    checkBatch(framing, frames);
    return framing == Framing.JSON ? json.batchToBytes(frames) : raw.toBytes(frames);
  }

  /**
   * Writes a batch in {@code framing}, which must be JSON or RAW, to a stream, which is not closed.
   *
   * @param framing {@link org.framecodec.wire.Framing#JSON} or {@link
   *     org.framecodec.wire.Framing#RAW}
   * @param frames the frames, in order
   * @param out where to write; not closed
   */
  public void writeBatch(Framing framing, List<EncodedFrame> frames, OutputStream out) {
    checkBatch(framing, frames);
    Objects.requireNonNull(out, "out");
    if (framing == Framing.JSON) {
      json.writeBatch(frames, out);
    } else {
      raw.write(frames, out);
    }
  }

  private static void checkBatch(Framing framing, List<EncodedFrame> frames) {
    Objects.requireNonNull(framing, "framing");
    Objects.requireNonNull(frames, "frames");
    if (!framing.supportsBatches()) {
      throw new IllegalArgumentException(framing + " framing carries one frame, not a batch of "
          + frames.size() + "; use JSON or RAW for batches");
    }
  }
}
