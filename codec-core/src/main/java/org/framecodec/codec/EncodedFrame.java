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

  /**
   * {@return a frame over a whole payload array, with a known quality and no timestamp or stream
   * id}
   *
   * @param payload the array holding the JPEG
   * @param width width in pixels
   * @param height height in pixels
   * @param channels channels: 3 for colour, 1 for gray
   * @param mode the JPEG mode the payload was made in
   * @param quality JPEG quality, 1 to 100
   */
  public static EncodedFrame of(byte[] payload, int width, int height, int channels, JpegMode mode,
      int quality) {
    return builder().payload(payload).size(width, height).channels(channels).mode(mode)
        .quality(quality).build();
  }

  /** {@return a builder with channels 3, mode {@code cv2-yuv} and no optional fields set} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this frame's values (and payload view), to derive a changed frame.
   *
   * @return a builder holding these values
   */
  public Builder toBuilder() {
    Builder b = new Builder().payload(payload, offset, length).size(width, height)
        .channels(channels).mode(mode).streamId(streamId).subsampling(subsampling);
    b.quality = quality;
    b.frameNumber = frameNumber;
    b.hasTimestamp = hasTimestamp;
    b.timestampMicros = timestampMicros;
    return b;
  }

  /**
   * {@return the array holding the payload (not a copy); the payload is {@link #payloadLength()}
   * bytes from {@link #payloadOffset()}}
   */
  public byte[] payloadArray() {
    return payload;
  }

  /** {@return the index of the payload's first byte in {@link #payloadArray()}} */
  public int payloadOffset() {
    return offset;
  }

  /** {@return the payload's length in bytes} */
  public int payloadLength() {
    return length;
  }

  /** {@return a read-only view of the payload, position 0 and limit {@link #payloadLength()}} */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload, offset, length).slice().asReadOnlyBuffer();
  }

  /** {@return the payload in a new array of exactly its length} */
  public byte[] payloadCopy() {
    return Arrays.copyOfRange(payload, offset, offset + length);
  }

  /** {@return the width in pixels} */
  public int width() {
    return width;
  }

  /** {@return the height in pixels} */
  public int height() {
    return height;
  }

  /** {@return 3 for a colour frame, 1 for grayscale} */
  public int channels() {
    return channels;
  }

  /** {@return the numpy shape {@code {height, width, channels}}} */
  public int[] shape() {
    return new int[] {height, width, channels};
  }

  /** {@return the mode the payload was made in} */
  public JpegMode mode() {
    return mode;
  }

  /** {@return the JPEG quality 1..100, empty when unknown} */
  public OptionalInt quality() {
    return quality == 0 ? OptionalInt.empty() : OptionalInt.of(quality);
  }

  /** {@return the capture time in microseconds on the sender's clock, empty when not given} */
  public OptionalLong timestampMicros() {
    return hasTimestamp ? OptionalLong.of(timestampMicros) : OptionalLong.empty();
  }

  /** {@return the stream this frame belongs to, empty when not given} */
  public Optional<String> streamId() {
    return Optional.ofNullable(streamId);
  }

  /** {@return the chroma subsampling of a colour payload, empty when unknown or for one channel} */
  public Optional<Subsampling> subsampling() {
    return Optional.ofNullable(subsampling);
  }

  /** {@return the position of this frame in its stream, from 0; empty when not given} */
  public OptionalLong frameNumber() {
    return frameNumber < 0 ? OptionalLong.empty() : OptionalLong.of(frameNumber);
  }

  /**
   * {@return this frame with a stream id, frame number and presentation timestamp; the payload is
   * shared}
   *
   * @param streamId the stream the frame belongs to; null or empty for none
   * @param frameNumber position of the frame in its stream, 0 or more
   * @param timestampMicros presentation timestamp, in microseconds
   */
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

    /**
     * The whole array is the payload (viewed, not copied).
     *
     * @param payload the array holding the JPEG
     * @return this builder
     */
    public Builder payload(byte[] payload) {
      Objects.requireNonNull(payload, "payload");
      return payload(payload, 0, payload.length);
    }

    /**
     * {@code payload[offset, offset+length)} is the payload (viewed, not copied).
     *
     * @param payload the array holding the JPEG
     * @param offset index of the first byte
     * @param length number of bytes
     * @return this builder
     */
    public Builder payload(byte[] payload, int offset, int length) {
      this.payload = payload;
      this.offset = offset;
      this.length = length;
      return this;
    }

    /**
     * The frame size the payload decodes to.
     *
     * @param width width in pixels
     * @param height height in pixels
     * @return this builder
     */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * The channel count; default 3.
     *
     * @param channels 3 for colour, 1 for gray
     * @return this builder
     */
    public Builder channels(int channels) {
      this.channels = channels;
      return this;
    }

    /**
     * The mode the payload was made in; default {@code cv2-yuv}.
     *
     * @param mode the JPEG mode
     * @return this builder
     */
    public Builder mode(JpegMode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * JPEG quality 1..100.
     *
     * @param quality JPEG quality, 1 to 100
     * @return this builder
     */
    public Builder quality(int quality) {
      if (quality == 0) {
        throw new IllegalArgumentException("JPEG quality must be 1..100, got 0; use noQuality() for unknown");
      }
      this.quality = quality;
      return this;
    }

    /**
     * Marks the quality unknown.
     *
     * @return this builder
     */
    public Builder noQuality() {
      this.quality = 0;
      return this;
    }

    /**
     * Capture time in microseconds on the sender's clock.
     *
     * @param micros capture time in microseconds on the sender's clock
     * @return this builder
     */
    public Builder timestampMicros(long micros) {
      this.hasTimestamp = true;
      this.timestampMicros = micros;
      return this;
    }

    /**
     * Marks the timestamp unknown.
     *
     * @return this builder
     */
    public Builder noTimestamp() {
      this.hasTimestamp = false;
      this.timestampMicros = 0;
      return this;
    }

    /**
     * Stream id, at most {@value EncodedFrame#MAX_STREAM_ID_BYTES} UTF-8 bytes; null or empty for
     * none.
     *
     * @param streamId the stream the frame belongs to; null or empty for none
     * @return this builder
     */
    public Builder streamId(String streamId) {
      this.streamId = streamId;
      return this;
    }

    /**
     * Chroma subsampling of a colour payload; null for unknown. Dropped for one channel.
     *
     * @param subsampling chroma subsampling of the colour planes
     * @return this builder
     */
    public Builder subsampling(Subsampling subsampling) {
      this.subsampling = subsampling;
      return this;
    }

    /**
     * Position of the frame in its stream, 0 or more.
     *
     * @param frameNumber position of the frame in its stream, 0 or more
     * @return this builder
     */
    public Builder frameNumber(long frameNumber) {
      if (frameNumber < 0) {
        throw new IllegalArgumentException("frame number must be 0 or more, got " + frameNumber
            + "; use noFrameNumber() for none");
      }
      this.frameNumber = frameNumber;
      return this;
    }

    /**
     * Marks the frame number unknown.
     *
     * @return this builder
     */
    public Builder noFrameNumber() {
      this.frameNumber = -1;
      return this;
    }

    /** {@return the frame, validated} */
    public EncodedFrame build() {
      return new EncodedFrame(this);
    }
  }
}
