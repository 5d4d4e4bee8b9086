package org.framecodec.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One JPEG payload with what a receiver needs to decode it: the one carrier of an encoded frame
 * between every stage of FrameCodec (codec, wire, batcher, detector, transport). It holds the
 * frame's width, height and channel count (its numpy shape), the {@link JpegMode} the payload was
 * made in, and optionally the JPEG quality, the chroma subsampling, a presentation timestamp, a
 * stream id and a frame number.
 *
 * <p>Made by {@link JpegCodec#encodeFrame(org.framecodec.frames.Frame, EncodeOptions, byte[])},
 * by the readers of {@code org.framecodec.wire}, or with {@link #builder()}; decoded by
 * {@link JpegCodec#decode(EncodedFrame, org.framecodec.frames.PixelFormat)}.
 *
 * <p>Immutable and thread-safe as a value; validated at construction, with the bad value in the
 * message ({@link IllegalArgumentException}). Optional fields: {@link #quality()} (1..100) is empty
 * when unknown, as for a bare JPEG; {@link #subsampling()} is empty when unknown or for one
 * channel; {@link #timestampMicros()} is a caller-defined clock in <b>microseconds</b> (for a
 * video stream, the presentation timestamp from the container; otherwise for example since the
 * Unix epoch); {@link #streamId()} is at most {@value #MAX_STREAM_ID_BYTES} UTF-8 bytes, and an
 * empty id is the same as none, so that every frame fits every framing; {@link #frameNumber()}
 * counts frames of one stream from 0.
 *
 * <p><b>Buffer ownership:</b> the payload is a view of the caller's array range, not a copy. The
 * caller must not change those bytes while the frame is in use; the frame never changes them.
 * Readers in this package return frames whose payload is either a new array or a range of the
 * array they were given (see each reader). {@link #payloadCopy()} makes an independent copy.
 * {@link #equals(Object)} compares payload bytes, not array identity, and every field that
 * travels on the wire; not {@link #subsampling()}, which the payload bytes already fix and which
 * only the sender may know.
 */
public final class EncodedFrame {
  /** Longest stream id, in UTF-8 bytes: the raw container stores its length in one byte. */
  public static final int MAX_STREAM_ID_BYTES = 255;

  private final byte[] payload;
  private final int offset;
  private final int length;
  private final int width;
  private final int height;
  private final int channels;
  private final JpegMode mode;
  private final int quality;
  private final boolean hasTimestamp;
  private final long timestampMicros;
  private final String streamId;
  private final Subsampling subsampling;
  private final long frameNumber;

  private EncodedFrame(Builder b) {
    this.payload = Objects.requireNonNull(b.payload, "payload");
    if (b.offset < 0 || b.length <= 0 || b.length > b.payload.length - b.offset) {
      throw new IllegalArgumentException("payload range offset " + b.offset + ", length " + b.length
          + " is empty or outside an array of " + b.payload.length);
    }
    this.offset = b.offset;
    this.length = b.length;
    if (b.width <= 0 || b.height <= 0) {
      throw new IllegalArgumentException("frame size must be positive, got " + b.width + "x" + b.height);
    }
    this.width = b.width;
    this.height = b.height;
    if (b.channels != 1 && b.channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + b.channels);
    }
    this.channels = b.channels;
    this.mode = Objects.requireNonNull(b.mode, "mode");
    if (b.quality != 0 && (b.quality < 1 || b.quality > 100)) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, got " + b.quality);
    }
    this.quality = b.quality;
    this.hasTimestamp = b.hasTimestamp;
    this.timestampMicros = b.hasTimestamp ? b.timestampMicros : 0;
    String id = b.streamId == null || b.streamId.isEmpty() ? null : b.streamId;
    if (id != null) {
      int bytes = utf8Length(id);
      if (bytes > MAX_STREAM_ID_BYTES) {
        throw new IllegalArgumentException("stream id of " + bytes + " UTF-8 bytes exceeds "
            + MAX_STREAM_ID_BYTES + ": '" + id.substring(0, Math.min(40, id.length())) + "...'");
      }
    }
    this.streamId = id;
    this.subsampling = b.channels == 1 ? null : b.subsampling;
    if (b.frameNumber < -1) {
      throw new IllegalArgumentException("frame number must be 0 or more, got " + b.frameNumber);
    }
    this.frameNumber = b.frameNumber;
  }

  /** UTF-8 length, refusing unpaired surrogates that would not survive the round trip. */
  private static int utf8Length(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1));
        if (!paired) {
          throw new IllegalArgumentException("stream id has an unpaired surrogate at index " + i);
        }
        i++;
      }
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** A frame over a whole payload array, with a known quality and no timestamp or stream id. */
  public static EncodedFrame of(byte[] payload, int width, int height, int channels, JpegMode mode,
      int quality) {
    return builder().payload(payload).size(width, height).channels(channels).mode(mode)
        .quality(quality).build();
  }

  /** A builder with channels 3, mode {@code cv2-yuv} and no optional fields set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this frame's values (and payload view), to derive a changed frame. */
  public Builder toBuilder() {
    Builder b = new Builder().payload(payload, offset, length).size(width, height)
        .channels(channels).mode(mode).streamId(streamId).subsampling(subsampling);
    b.quality = quality;
    b.frameNumber = frameNumber;
    b.hasTimestamp = hasTimestamp;
    b.timestampMicros = timestampMicros;
    return b;
  }

  /** The array holding the payload (not a copy); the payload is {@link #payloadLength()} bytes from {@link #payloadOffset()}. */
  public byte[] payloadArray() {
    return payload;
  }

  public int payloadOffset() {
    return offset;
  }

  public int payloadLength() {
    return length;
  }

  /** A read-only view of the payload, position 0 and limit {@link #payloadLength()}. */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload, offset, length).slice().asReadOnlyBuffer();
  }

  /** The payload in a new array of exactly its length. */
  public byte[] payloadCopy() {
    return Arrays.copyOfRange(payload, offset, offset + length);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** 3 for a colour frame, 1 for grayscale. */
  public int channels() {
    return channels;
  }

  /** The numpy shape {@code {height, width, channels}}. */
  public int[] shape() {
    return new int[] {height, width, channels};
  }

  public JpegMode mode() {
    return mode;
  }

  /** JPEG quality 1..100, empty when unknown. */
  public OptionalInt quality() {
    return quality == 0 ? OptionalInt.empty() : OptionalInt.of(quality);
  }

  /** Capture time in microseconds on the sender's clock, empty when not given. */
  public OptionalLong timestampMicros() {
    return hasTimestamp ? OptionalLong.of(timestampMicros) : OptionalLong.empty();
  }

  /** The stream this frame belongs to, empty when not given. */
  public Optional<String> streamId() {
    return Optional.ofNullable(streamId);
  }

  /** Chroma subsampling of a colour payload, empty when unknown or for one channel. */
  public Optional<Subsampling> subsampling() {
    return Optional.ofNullable(subsampling);
  }

  /** Position of this frame in its stream, from 0; empty when not given. */
  public OptionalLong frameNumber() {
    return frameNumber < 0 ? OptionalLong.empty() : OptionalLong.of(frameNumber);
  }

  /** This frame with a stream id, frame number and presentation timestamp; the payload is shared. */
  public EncodedFrame inStream(String streamId, long frameNumber, long timestampMicros) {
    return toBuilder().streamId(streamId).frameNumber(frameNumber).timestampMicros(timestampMicros)
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedFrame f && width == f.width && height == f.height
        && channels == f.channels && mode == f.mode && quality == f.quality
        && hasTimestamp == f.hasTimestamp && timestampMicros == f.timestampMicros
        && Objects.equals(streamId, f.streamId) && frameNumber == f.frameNumber
        && Arrays.equals(payload, offset, offset + length, f.payload, f.offset, f.offset + f.length);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(width, height, channels, mode, quality, hasTimestamp, timestampMicros,
        streamId, frameNumber);
    // Hash a bounded prefix: payloads are large and equal-sized frames rarely share a prefix.
    for (int i = offset; i < offset + Math.min(length, 64); i++) {
      h = 31 * h + payload[i];
    }
    return 31 * h + length;
  }

  @Override
  public String toString() {
    return "EncodedFrame{" + width + "x" + height + "x" + channels + " " + mode.wireName()
        + (quality != 0 ? " q" + quality : "")
        + (subsampling != null ? " " + subsampling.label() : "") + ", " + length + " bytes"
        + (hasTimestamp ? ", t=" + timestampMicros + "us" : "")
        + (streamId != null ? ", stream '" + streamId + "'" : "")
        + (frameNumber >= 0 ? ", frame " + frameNumber : "") + "}";
  }

  /** Collects the values of an {@link EncodedFrame}; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private byte[] payload;
    private int offset;
    private int length;
    private int width;
    private int height;
    private int channels = 3;
    private JpegMode mode = JpegMode.CV2_YUV;
    private int quality;
    private boolean hasTimestamp;
    private long timestampMicros;
    private String streamId;
    private Subsampling subsampling;
    private long frameNumber = -1;

    private Builder() {}

    /** The whole array is the payload (viewed, not copied). */
    public Builder payload(byte[] payload) {
      Objects.requireNonNull(payload, "payload");
      return payload(payload, 0, payload.length);
    }

    /** {@code payload[offset, offset+length)} is the payload (viewed, not copied). */
    public Builder payload(byte[] payload, int offset, int length) {
      this.payload = payload;
      this.offset = offset;
      this.length = length;
      return this;
    }

    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder channels(int channels) {
      this.channels = channels;
      return this;
    }

    public Builder mode(JpegMode mode) {
      this.mode = mode;
      return this;
    }

    /** JPEG quality 1..100. */
    public Builder quality(int quality) {
      if (quality == 0) {
        throw new IllegalArgumentException("JPEG quality must be 1..100, got 0; use noQuality() for unknown");
      }
      this.quality = quality;
      return this;
    }

    /** Marks the quality unknown. */
    public Builder noQuality() {
      this.quality = 0;
      return this;
    }

    /** Capture time in microseconds on the sender's clock. */
    public Builder timestampMicros(long micros) {
      this.hasTimestamp = true;
      this.timestampMicros = micros;
      return this;
    }

    public Builder noTimestamp() {
      this.hasTimestamp = false;
      this.timestampMicros = 0;
      return this;
    }

    /** Stream id, at most {@value EncodedFrame#MAX_STREAM_ID_BYTES} UTF-8 bytes; null or empty for none. */
    public Builder streamId(String streamId) {
      this.streamId = streamId;
      return this;
    }

    /** Chroma subsampling of a colour payload; null for unknown. Dropped for one channel. */
    public Builder subsampling(Subsampling subsampling) {
      this.subsampling = subsampling;
      return this;
    }

    /** Position of the frame in its stream, 0 or more. */
    public Builder frameNumber(long frameNumber) {
      if (frameNumber < 0) {
        throw new IllegalArgumentException("frame number must be 0 or more, got " + frameNumber
            + "; use noFrameNumber() for none");
      }
      this.frameNumber = frameNumber;
      return this;
    }

    public Builder noFrameNumber() {
      this.frameNumber = -1;
      return this;
    }

    public EncodedFrame build() {
      return new EncodedFrame(this);
    }
  }
}
