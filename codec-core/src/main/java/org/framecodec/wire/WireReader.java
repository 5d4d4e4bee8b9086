package org.framecodec.wire;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;

/**
 * Reads a message in any {@link Framing}, detected from its first bytes by
 * {@link Framing#detect(byte[], int, int)}, into a {@link WireMessage}: for services that take
 * frames from peers that do not say how they framed them (a Python peer posting base64 text, a
 * Java peer posting a raw container, a camera posting a JPEG).
 *
 * <ul>
 *   <li>{@link Framing#RAW}: read by {@link RawContainer}; frames view the input array.</li>
 *   <li>{@link Framing#JPEG}: one frame viewing the input; size and channels from the JPEG
 *       header; mode {@link #bareMode()} (gray for a one-component JPEG); no quality, timestamp or
 *       stream id.</li>
 *   <li>{@link Framing#JSON}: read by {@link JsonEnvelope} (envelope, batch or bare base64
 *       string); payloads are new arrays.</li>
 *   <li>{@link Framing#BASE64}: the whole body is base64 text, decoded as the peer's
 *       {@code b64decode(bytes)} does (see {@link Base64Codec}), then read like a bare JPEG;
 *       the payload is a new array. Text given as a {@code CharSequence} is decoded as
 *       {@code b64decode(str)}, which refuses non-ASCII characters.</li>
 * </ul>
 * Every path enforces the same {@link Limits} before allocating, and bad input raises the
 * {@link org.framecodec.FrameFormatException} family. Immutable and thread-safe.
 */
public final class WireReader {
  private final Limits limits;
  private final JpegMode bareMode;
  private final RawContainer raw;
  private final JsonEnvelope json;

  /** Default limits; bare payloads are {@code cv2-yuv}, the Python peer's recipe. */
  public WireReader() {
    this(Limits.defaults(), JpegMode.CV2_YUV);
  }

  /**
   * A reader enforcing {@code limits}, giving bare payloads (JPEG, base64, JSON string) {@code
   * bareMode}.
   *
   * @param limits the size limits to enforce
   * @param bareMode the mode given to bare payloads, which carry none
   */
  public WireReader(Limits limits, JpegMode bareMode) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.bareMode = Objects.requireNonNull(bareMode, "bareMode");
    this.raw = new RawContainer(limits);
    this.json = new JsonEnvelope(limits, bareMode);
  }

  /** {@return the limits the reader enforces} */
  public Limits limits() {
    return limits;
  }

  /** {@return the mode given to payloads that arrive without metadata} */
  public JpegMode bareMode() {
    return bareMode;
  }

  /**
   * Reads a whole-array message.
   *
   * @param data the message bytes
   * @return the framing and the frames
   */
  public WireMessage read(byte[] data) {
    Objects.requireNonNull(data, "data");
    return read(data, 0, data.length);
  }

  /**
   * Reads the message in {@code data[offset, offset+length)}.
   *
   * @param data the message bytes
   * @param offset index of the first byte
   * @param length number of bytes
   * @return the framing and the frames
   */
  public WireMessage read(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    limits.checkDocumentBytes(length);
    Framing framing = Framing.detect(data, offset, length);
    List<EncodedFrame> frames = switch (framing) {
      case RAW -> raw.read(data, offset, length);
      case JSON -> json.read(data, offset, length);
      case JPEG -> List.of(WireSupport.bareFrame(data, offset, length, bareMode, limits));
      case BASE64 -> {
        byte[] payload = Base64Codec.decode(data, offset, length, limits.maxPayloadBytes());
        yield List.of(WireSupport.bareFrame(payload, 0, payload.length, bareMode, limits));
      }
    };
    return new WireMessage(framing, frames);
  }

  /**
   * Reads a message from a stream to its end, up to {@link Limits#maxDocumentBytes()}; the stream
   * is not closed.
   *
   * @param in the stream to read; not closed
   * @return the framing and the frames
   */
  public WireMessage read(InputStream in) {
    Objects.requireNonNull(in, "in");
    byte[] data = WireSupport.readBounded(in, limits.maxDocumentBytes());
    return read(data, 0, data.length);
  }

  /**
   * Reads a message held as text: JSON, or base64 decoded as {@code b64decode(str)}.
   *
   * @param text the text to read
   * @return the framing and the frames
   */
  public WireMessage readText(CharSequence text) {
    Objects.requireNonNull(text, "text");
    limits.checkDocumentBytes(text.length());
    if (Framing.detect(text) == Framing.JSON) {
      return new WireMessage(Framing.JSON, json.read(text));
    }
    byte[] payload = Base64Codec.decode(text, limits.maxPayloadBytes());
    return new WireMessage(Framing.BASE64,
        List.of(WireSupport.bareFrame(payload, 0, payload.length, bareMode, limits)));
  }
}
