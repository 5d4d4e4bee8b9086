package org.framecodec.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;

/**
 * The binary framing, content type {@code application/octet-stream}: one frame or a batch, with
 * all of {@link EncodedFrame}'s metadata, the payloads as they are, and a CRC-32C trailer. About
 * 30 bytes of overhead per frame instead of base64's third.
 *
 * <p>All integers are <b>big-endian</b> (network order; Python {@code struct} format {@code >})
 * and unsigned unless marked.
 * <pre>
 *  0        4   5   6        10                                        end-4    end
 *  +--------+---+---+--------+---------+---------+-- ... --+-----------+--------+
 *  | magic  |ver|flg| count  | frame 0 | frame 1 |   ...   | frame N-1 | CRC-32C|
 *  +--------+---+---+--------+---------+---------+-- ... --+-----------+--------+
 *
 *  offset  size  container field
 *       0     4  magic 89 46 43 52 ("\x89FCR"; the 0x89 keeps it from passing for text)
 *       4     1  version = 1
 *       5     1  flags = 0 (reserved; other values are refused)
 *       6     4  frame count N, at most Limits.maxFramesPerBatch
 *      10     ~  N frames, back to back
 *   end-4     4  CRC-32C (java.util.zip.CRC32C, Castagnoli) of bytes [0, end-4)
 *
 *  offset  size  frame field
 *      +0     4  width in pixels, 1..2^31-1
 *      +4     4  height in pixels, 1..2^31-1
 *      +8     1  channels: 1 or 3
 *      +9     1  mode: JpegMode.code(): 1 cv2-yuv, 2 ycbcr, 3 gray
 *     +10     1  quality 1..100; 0 = unknown
 *     +11     1  flags: bit 0 = timestamp present, bit 1 = frame number present; others 0
 *     +12     8  timestamp, signed, microseconds; must be 0 when absent
 *     +20     1  stream id length S, 0..255; 0 = no stream id
 *     +21     S  stream id, UTF-8
 *   +21+S     F  frame number, 8 bytes, 0..2^63-1, only when flag bit 1 is set (F = 8, else 0)
 *  +21+S+F    4  payload length P, 1..Limits.maxPayloadBytes
 *  +25+S+F    P  payload: the JPEG bytes
 *
 *  +-------+--------+--+--+--+--+-----------+--+-----------+---------+-------+-------------+
 *  | width | height |ch|md|q |fl| timestamp |S | stream id | [frame] | P     | payload ... |
 *  +-------+--------+--+--+--+--+-----------+--+-----------+---------+-------+-------------+
 *     4        4     1  1  1  1      8       1      S        0 or 8      4          P
 * </pre>
 * A reader that predates bit 1 refuses such a frame as unsupported instead of misreading it.
 *
 * <p><b>Reading</b> is defensive: the magic, then the version (an unknown one is
 * {@link UnsupportedPayloadException}, whatever follows), then every count and length is
 * checked against the bytes that remain and against {@link Limits} before it is used, then the
 * CRC. Damage (bad magic, truncation, a length that lies, trailing bytes, a bad CRC, invalid
 * UTF-8) raises {@link CorruptPayloadException}; counts and sizes over the limits raise
 * {@link org.framecodec.PayloadTooLargeException}; an unknown version, flag, mode or channel
 * count raises {@link UnsupportedPayloadException}. Frames read from a {@code byte[]} view ranges
 * of that array (no copy); frames read from a stream share one new array.
 *
 * <p><b>Writing</b> goes into a caller array sized by {@link #encodedSize(List)} (returns the
 * length), into a new array, or to a stream. Immutable and thread-safe.
 */
public final class RawContainer {
  /** First four bytes of every container. */
  public static final int MAGIC = 0x89464352;
  /** The version this class writes and reads. */
  public static final int VERSION = 1;
  /** Magic, version, flags and frame count. */
  static final int HEADER_BYTES = 10;
  /** Per-frame bytes besides the stream id and payload. */
  static final int FRAME_FIXED_BYTES = 25;
  static final int CRC_BYTES = 4;
  private static final int TIMESTAMP_FLAG = 1;
  private static final int FRAME_NUMBER_FLAG = 2;
  private static final int FRAME_NUMBER_BYTES = 8;

  private final Limits limits;

  /** A container codec with {@link Limits#defaults()}. */
  public RawContainer() {
    this(Limits.defaults());
  }

  /**
   * A container codec whose reader enforces {@code limits}.
   *
   * @param limits the size limits to enforce
   */
  public RawContainer(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** {@return the limits the reader enforces} */
  public Limits limits() {
    return limits;
  }

  /**
   * {@return true when {@code data[offset, offset+length)} starts with the container magic}
   *
   * @param data the container bytes
   * @param offset index of the first byte
   * @param length number of bytes
   */
  public static boolean hasMagic(byte[] data, int offset, int length) {
    return length >= 4 && data[offset] == (byte) 0x89 && data[offset + 1] == 'F'
        && data[offset + 2] == 'C' && data[offset + 3] == 'R';
  }

  // ---------------------------------------------------------------- writing

  /**
   * {@return the bytes a container with these frames takes; throws {@link IllegalArgumentException}
   * past an array's size}
   *
   * @param frames the frames, in order
   */
  public int encodedSize(List<EncodedFrame> frames) {
    Objects.requireNonNull(frames, "frames");
    long size = HEADER_BYTES + CRC_BYTES;
    for (EncodedFrame f : frames) {
      size += FRAME_FIXED_BYTES + streamIdBytes(f).length + frameNumberBytes(f) + f.payloadLength();
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a container of " + frames.size() + " frames needs " + size
          + " bytes, more than an array holds; write it to a stream");
    }
    return (int) size;
  }

  /**
   * {@return the bytes a single-frame container takes}
   *
   * @param frame the frame
   */
  public int encodedSize(EncodedFrame frame) {
    return encodedSize(List.of(frame));
  }

  /**
   * Writes a container into {@code dst} from {@code offset}, which needs {@link #encodedSize(List)}
   * bytes of room; returns that length.
   *
   * @param frames the frames, in order
   * @param dst the output array
   * @param offset index of the first byte
   * @return the container length
   */
  public int write(List<EncodedFrame> frames, byte[] dst, int offset) {
    Objects.requireNonNull(dst, "dst");
    int size = encodedSize(frames);
    if (offset < 0 || offset > dst.length || dst.length - offset < size) {
      throw new IllegalArgumentException("a container of " + frames.size() + " frames needs " + size
          + " bytes, but the destination of " + dst.length + " bytes has "
          + Math.max(0, dst.length - Math.max(0, offset)) + " from offset " + offset);
    }
    ByteBuffer b = ByteBuffer.wrap(dst, offset, size);
    putHeader(b, frames.size());
    for (EncodedFrame f : frames) {
      putFrameHead(b, f);
      b.putInt(f.payloadLength());
      b.put(f.payloadArray(), f.payloadOffset(), f.payloadLength());
    }
    CRC32C crc = new CRC32C();
    crc.update(dst, offset, size - CRC_BYTES);
    b.putInt((int) crc.getValue());
    return size;
  }

  /**
   * {@return a new array holding the container}
   *
   * @param frames the frames, in order
   */
  public byte[] toBytes(List<EncodedFrame> frames) {
    byte[] out = new byte[encodedSize(frames)];
    write(frames, out, 0);
    return out;
  }

  /**
   * {@return a new array holding a single-frame container}
   *
   * @param frame the frame
   */
  public byte[] toBytes(EncodedFrame frame) {
    return toBytes(List.of(frame));
  }

  /**
   * Writes the container to a stream, payloads straight from their arrays; the stream is not
   * closed.
   *
   * @param frames the frames, in order
   * @param out where to write; not closed
   */
  public void write(List<EncodedFrame> frames, OutputStream out) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(out, "out");
    CRC32C crc = new CRC32C();
    ByteBuffer head = ByteBuffer.allocate(FRAME_FIXED_BYTES + EncodedFrame.MAX_STREAM_ID_BYTES
        + FRAME_NUMBER_BYTES);
    try {
      putHeader(head, frames.size());
      emit(head, crc, out);
      for (EncodedFrame f : frames) {
        putFrameHead(head, f);
        head.putInt(f.payloadLength());
        emit(head, crc, out);
        crc.update(f.payloadArray(), f.payloadOffset(), f.payloadLength());
        out.write(f.payloadArray(), f.payloadOffset(), f.payloadLength());
      }
      head.putInt((int) crc.getValue());
      out.write(head.array(), 0, head.position());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the raw container", e);
    }
  }

  /**
   * Writes a single-frame container to a stream.
   *
   * @param frame the frame
   * @param out where to write; not closed
   */
  public void write(EncodedFrame frame, OutputStream out) {
    write(List.of(frame), out);
  }

  private static void emit(ByteBuffer head, CRC32C crc, OutputStream out) throws IOException {
    crc.update(head.array(), 0, head.position());
    out.write(head.array(), 0, head.position());
    head.clear();
  }

  private static void putHeader(ByteBuffer b, int count) {
    b.putInt(MAGIC).put((byte) VERSION).put((byte) 0).putInt(count);
  }

  private static void putFrameHead(ByteBuffer b, EncodedFrame f) {
    byte[] id = streamIdBytes(f);
    b.putInt(f.width()).putInt(f.height()).put((byte) f.channels()).put((byte) f.mode().code())
        .put((byte) f.quality().orElse(0))
        .put((byte) ((f.timestampMicros().isPresent() ? TIMESTAMP_FLAG : 0)
            | (f.frameNumber().isPresent() ? FRAME_NUMBER_FLAG : 0)))
        .putLong(f.timestampMicros().orElse(0)).put((byte) id.length).put(id);
    if (f.frameNumber().isPresent()) {
      b.putLong(f.frameNumber().getAsLong());
    }
  }

  private static int frameNumberBytes(EncodedFrame f) {
    return f.frameNumber().isPresent() ? FRAME_NUMBER_BYTES : 0;
  }

  private static byte[] streamIdBytes(EncodedFrame f) {
    return f.streamId().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads a whole-array container; the frames view ranges of {@code data}.
   *
   * @param data the container bytes
   * @return the frames, in container order
   */
  public List<EncodedFrame> read(byte[] data) {
    Objects.requireNonNull(data, "data");
    return read(data, 0, data.length);
  }

  /**
   * Reads the container in {@code data[offset, offset+length)}, which must hold exactly one
   * container; the frames view ranges of {@code data} (no copy).
   *
   * @param data the container bytes
   * @param offset index of the first byte
   * @param length number of bytes
   * @return the frames, in container order
   */
  public List<EncodedFrame> read(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    limits.checkDocumentBytes(length);
    if (!hasMagic(data, offset, length)) {
      throw new CorruptPayloadException("not a raw frame container: it starts with "
          + hex(data, offset, Math.min(length, 4)) + ", expected 89 46 43 52");
    }
    if (length < HEADER_BYTES + CRC_BYTES) {
      throw new CorruptPayloadException("raw container is truncated: " + length
          + " bytes, but its header and CRC alone take " + (HEADER_BYTES + CRC_BYTES));
    }
    ByteBuffer b = ByteBuffer.wrap(data, offset, length);
    b.position(offset + 4);
    int version = b.get() & 0xFF;
    if (version != VERSION) {
      throw new UnsupportedPayloadException(
          "raw container version " + version + " is not supported; this reader knows version " + VERSION);
    }
    int flags = b.get() & 0xFF;
    if (flags != 0) {
      throw new UnsupportedPayloadException(String.format(
          "raw container flags 0x%02x are not supported; version 1 defines none", flags));
    }
    long count = b.getInt() & 0xFFFFFFFFL;
    limits.checkFrameCount(count);
    int end = offset + length - CRC_BYTES;
    if (count * FRAME_FIXED_BYTES > end - b.position()) {
      throw new CorruptPayloadException("raw container declares " + count + " frames, but the "
          + (end - b.position()) + " bytes before the CRC cannot hold them");
    }
    List<EncodedFrame> frames = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      frames.add(readFrame(data, b, end, i));
    }
    if (b.position() != end) {
      throw new CorruptPayloadException("raw container has " + (end - b.position())
          + " unexpected bytes between its last frame and the CRC");
    }
    int stored = b.getInt();
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length - CRC_BYTES);
    if ((int) crc.getValue() != stored) {
      throw new CorruptPayloadException(String.format(
          "raw container CRC-32C mismatch: stored %08x, computed %08x over %d bytes", stored,
          (int) crc.getValue(), length - CRC_BYTES));
    }
    return List.copyOf(frames);
  }

  /**
   * Reads one container from a stream, to its end, up to {@link Limits#maxDocumentBytes()}.
   *
   * @param in the stream to read; not closed
   * @return the frames, in container order
   */
  public List<EncodedFrame> read(InputStream in) {
    Objects.requireNonNull(in, "in");
    byte[] data = WireSupport.readBounded(in, limits.maxDocumentBytes());
    return read(data, 0, data.length);
  }

  private EncodedFrame readFrame(byte[] data, ByteBuffer b, int end, int index) {
    String where = "raw container frame " + index;
    need(b, end, FRAME_FIXED_BYTES - 4, where, "header");
    int width = b.getInt();
    int height = b.getInt();
    if (width <= 0 || height <= 0) {
      // Read as signed: a size of 2^31 or more is as absurd as a negative one.
      throw new CorruptPayloadException(where + " declares a size of " + Integer.toUnsignedString(width)
          + "x" + Integer.toUnsignedString(height) + "; both must be positive 31-bit values");
    }
    limits.checkPixels(width, height);
    int channels = b.get() & 0xFF;
    if (channels != 1 && channels != 3) {
      throw new UnsupportedPayloadException(where + " has " + channels + " channels; 1 or 3 are supported");
    }
    int modeCode = b.get() & 0xFF;
    JpegMode mode;
    try {
      mode = JpegMode.fromCode(modeCode);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedPayloadException(where + " has mode code " + modeCode
          + "; known codes are 1 (cv2-yuv), 2 (ycbcr) and 3 (gray)");
    }
    int quality = b.get() & 0xFF;
    if (quality > 100) {
      throw new CorruptPayloadException(where + " declares quality " + quality + "; it must be 0..100");
    }
    int frameFlags = b.get() & 0xFF;
    if ((frameFlags & ~(TIMESTAMP_FLAG | FRAME_NUMBER_FLAG)) != 0) {
      throw new UnsupportedPayloadException(String.format("%s has flags 0x%02x; version 1 defines"
          + " only 0x01 (timestamp present) and 0x02 (frame number present)", where, frameFlags));
    }
    boolean hasFrameNumber = (frameFlags & FRAME_NUMBER_FLAG) != 0;
    long timestamp = b.getLong();
    if ((frameFlags & TIMESTAMP_FLAG) == 0 && timestamp != 0) {
      // The layout gives every value one spelling; a reader that also took this one would let
      // two different containers carry the same frames (found by RawContainerFuzzTest).
      throw new CorruptPayloadException(where + " has no timestamp flag but a timestamp field of "
          + timestamp + "; it must be 0 when absent");
    }
    int idLength = b.get() & 0xFF;
    int frameNumberBytes = hasFrameNumber ? FRAME_NUMBER_BYTES : 0;
    need(b, end, idLength + frameNumberBytes + 4, where, "stream id of " + idLength + " bytes"
        + (hasFrameNumber ? ", frame number" : "") + " and payload length");
    String streamId = utf8(data, b.position(), idLength, where);
    b.position(b.position() + idLength);
    long frameNumber = hasFrameNumber ? b.getLong() : -1;
    if (hasFrameNumber && frameNumber < 0) {
      throw new CorruptPayloadException(where + " has frame number "
          + Long.toUnsignedString(frameNumber) + "; it must be below 2^63");
    }
    long payloadLength = b.getInt() & 0xFFFFFFFFL;
    limits.checkPayloadBytes(payloadLength);
    if (payloadLength == 0) {
      throw new CorruptPayloadException(where + " has an empty payload");
    }
    if (payloadLength > end - b.position()) {
      throw new CorruptPayloadException(where + " declares a payload of " + payloadLength
          + " bytes, but only " + (end - b.position()) + " remain before the CRC");
    }
    int payloadOffset = b.position();
    b.position(payloadOffset + (int) payloadLength);
    EncodedFrame.Builder f = EncodedFrame.builder().payload(data, payloadOffset, (int) payloadLength)
        .size(width, height).channels(channels).mode(mode).streamId(streamId);
    if (quality != 0) {
      f.quality(quality);
    }
    if ((frameFlags & TIMESTAMP_FLAG) != 0) {
      f.timestampMicros(timestamp);
    }
    if (hasFrameNumber) {
      f.frameNumber(frameNumber);
    }
    return f.build();
  }

  private static void need(ByteBuffer b, int end, int n, String where, String what) {
    if (end - b.position() < n) {
      throw new CorruptPayloadException(where + " is truncated in its " + what + ": needs " + n
          + " bytes, " + Math.max(0, end - b.position()) + " remain before the CRC");
    }
  }

  private static String utf8(byte[] data, int offset, int length, String where) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, offset, length)).toString();
    } catch (CharacterCodingException e) {
      throw new CorruptPayloadException(where + " has a stream id that is not valid UTF-8", e);
    }
  }

  private static String hex(byte[] data, int offset, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : " ").append(String.format("%02x", data[offset + i] & 0xFF));
    }
    return n == 0 ? "nothing (empty input)" : s.toString();
  }
}
