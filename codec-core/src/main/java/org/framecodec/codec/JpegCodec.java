package org.framecodec.codec;

import java.nio.ByteBuffer;
import org.framecodec.Limits;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Encodes {@link Frame}s to JPEG payloads and decodes them back, in one of the {@link JpegMode}s,
 * on one {@link CodecBackend}.
 *
 * <p>The primary calls write into caller memory: {@link #encode(Frame, EncodeOptions, byte[], int)}
 * returns the payload length and needs {@link #maxEncodedSize} bytes of room;
 * {@link #decodeInto(byte[], int, int, JpegMode, Frame)} fills a frame the caller owns. With
 * reused buffers neither allocates per frame. The allocating overloads are conveniences.
 *
 * <p>Encoding accepts BGR and RGB frames in every mode, GRAY frames in {@code gray} mode, and
 * I420/NV12 frames in {@code ycbcr} 4:2:0 (compressed straight from the planes, no colour
 * conversion) and {@code gray} mode (the Y plane). Decoding writes BGR or RGB in every mode,
 * GRAY in {@code ycbcr} and {@code gray} mode, and I420 from {@code ycbcr} 4:2:0 payloads.
 * Every payload is checked against the codec's {@link Limits} from its header before any pixel
 * memory is allocated, and bad payloads raise {@link org.framecodec.FrameFormatException}.
 *
 * <p><b>Not thread-safe.</b> A codec holds native state and scratch memory; give each thread its
 * own (they are cheap). {@link #close()} frees the native state, is idempotent, and any later call
 * throws {@link IllegalStateException}.
 */
public interface JpegCodec extends AutoCloseable {

  /**
   * Opens a codec on the given backend with default {@link Limits}.
   *
   * @param backend the JPEG engine
   * @return the codec; close it
   */
  static JpegCodec open(CodecBackend backend) {
    return open(backend, Limits.defaults());
  }

  /**
   * Opens a codec on the given backend.
   *
   * @param backend the JPEG engine
   * @param limits the size limits to enforce
   * @return the codec; close it
   */
  static JpegCodec open(CodecBackend backend, Limits limits) {
    return switch (backend) {
      case TURBOJPEG -> new TurboJpegCodec(limits);
      case OPENCV -> OpenCvBackendLoader.open(limits);
    };
  }

  /** {@return the engine this codec runs on} */
  CodecBackend backend();

  /** {@return the limits every payload is checked against} */
  Limits limits();

  /**
   * {@return the upper bound of the payload size for a frame of this size encoded with these
   * options}
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param options mode, quality and subsampling
   */
  int maxEncodedSize(int width, int height, EncodeOptions options);

  /**
   * Encodes {@code src} into {@code dst} from {@code dstOffset}, which must have at least
   * {@link #maxEncodedSize} bytes of room; returns the payload length.
   *
   * @param src the frame to encode
   * @param options mode, quality and subsampling
   * @param dst the destination
   * @param dstOffset index in {@code dst} of the first payload byte
   * @return the payload length
   */
  int encode(Frame src, EncodeOptions options, byte[] dst, int dstOffset);

  /**
   * Encodes {@code src} into {@code dst} at its position, which must have at least
   * {@link #maxEncodedSize} bytes remaining, and advances the position; returns the length.
   *
   * @param src the frame to encode
   * @param options mode, quality and subsampling
   * @param dst the destination
   * @return the payload length
   */
  int encode(Frame src, EncodeOptions options, ByteBuffer dst);

  /**
   * Encodes into a new array of exactly the payload's length.
   *
   * @param src the frame to encode
   * @param options mode, quality and subsampling
   * @return the payload
   */
  byte[] encode(Frame src, EncodeOptions options);

  /**
   * Encodes {@code src} into {@code buffer} and returns an {@link EncodedFrame} viewing it, with
   * the frame's size, channels, mode, quality and subsampling filled in. {@code buffer} is used
   * when it has {@link #maxEncodedSize} bytes; otherwise (or when it is null) a new array of that
   * size is made. Either way the returned frame's {@link EncodedFrame#payloadArray()} is the array
   * to pass next time, so a stream of frames is encoded without allocating payload memory:
   *
   * <pre>{@code
   * byte[] buf = null;
   * for (Frame f : frames) {
   *   EncodedFrame e = codec.encodeFrame(f, opts, buf);
   *   buf = e.payloadArray();      // reuse; e is valid until the next encode into buf
   *   send(e);
   * }
   * }</pre>
   *
   * <p>The returned frame is valid until {@code buffer} is written again; copy it with
   * {@link EncodedFrame#payloadCopy()} (or use {@link #encodeFrame(Frame, EncodeOptions)}) for a
   * frame that must outlive that.
   *
   * @param src the frame to encode
   * @param options mode, quality and subsampling
   * @param buffer the array to encode into, or null
   * @return the encoded frame, viewing {@code buffer} or a new array
   */
  EncodedFrame encodeFrame(Frame src, EncodeOptions options, byte[] buffer);

  /**
   * Encodes into a new array of exactly the payload's length; the frame owns it.
   *
   * @param src the frame to encode
   * @param options mode, quality and subsampling
   * @return the encoded frame
   */
  EncodedFrame encodeFrame(Frame src, EncodeOptions options);

  /**
   * Reads the header of the JPEG in {@code jpeg[offset, offset+length)} without decoding it.
   *
   * @param jpeg the JPEG payload
   * @param offset index of the first byte
   * @param length number of bytes
   * @return size, channels and subsampling from the header
   */
  JpegInfo readHeader(byte[] jpeg, int offset, int length);

  /**
   * Reads the header of the JPEG between the buffer's position and limit.
   *
   * @param jpeg the JPEG payload
   * @return size, channels and subsampling from the header
   */
  JpegInfo readHeader(ByteBuffer jpeg);

  /**
   * Reads the header of {@code frame}'s payload, checks it against the {@link Limits} and against
   * the shape the frame declares: a frame that lies about its shape raises
   * {@link org.framecodec.CorruptPayloadException} naming both. What every decode of an
   * {@link EncodedFrame} checks first, for callers that decode elsewhere (on a GPU, say).
   *
   * @param frame the encoded frame
   * @return what its header declares
   */
  JpegInfo readHeader(EncodedFrame frame);

  /**
   * Decodes into {@code dst}, whose size must equal the payload's and whose format is the output
   * format.
   *
   * @param jpeg the JPEG payload
   * @param offset index of the first byte
   * @param length number of bytes
   * @param mode the JPEG mode the payload was made in
   * @param dst the destination
   */
  void decodeInto(byte[] jpeg, int offset, int length, JpegMode mode, Frame dst);

  /**
   * Decodes the bytes between the buffer's position and limit into {@code dst}.
   *
   * @param jpeg the JPEG payload
   * @param mode the JPEG mode the payload was made in
   * @param dst the destination
   */
  void decodeInto(ByteBuffer jpeg, JpegMode mode, Frame dst);

  /**
   * Decodes into a new tightly packed frame of the given format.
   *
   * @param jpeg the JPEG payload
   * @param offset index of the first byte
   * @param length number of bytes
   * @param mode the JPEG mode the payload was made in
   * @param format pixel format of the output frame
   * @return the decoded frame
   */
  Frame decode(byte[] jpeg, int offset, int length, JpegMode mode, PixelFormat format);

  /**
   * Decodes the bytes between the buffer's position and limit into a new frame.
   *
   * @param jpeg the JPEG payload
   * @param mode the JPEG mode the payload was made in
   * @param format pixel format of the output frame
   * @return the decoded frame
   */
  Frame decode(ByteBuffer jpeg, JpegMode mode, PixelFormat format);

  /**
   * Decodes {@code frame}'s payload in its mode into {@code dst}, whose size must equal the
   * payload's. The declared size and channel count are checked against the JPEG header first: a
   * frame that lies about its shape raises {@link org.framecodec.CorruptPayloadException} naming
   * both.
   *
   * @param frame the payload and its declared shape and mode
   * @param dst the destination
   */
  void decodeInto(EncodedFrame frame, Frame dst);

  /**
   * Decodes {@code frame}'s payload in its mode into a new frame of {@code format}; checked as
   * {@link #decodeInto(EncodedFrame, Frame)}.
   *
   * @param frame the payload and its declared shape and mode
   * @param format pixel format of the output frame
   * @return the decoded frame
   */
  Frame decode(EncodedFrame frame, PixelFormat format);

  /**
   * Decodes {@code frame}'s payload at a {@link DecodeScale} of its size into {@code dst}, whose
   * size must be {@code scale.scale(width) x scale.scale(height)}: the thumbnail (or model input)
   * path, several times cheaper than a full decode followed by a resize. The {@code cv2-yuv}
   * colour transform runs on the small image. Checked as {@link #decodeInto(EncodedFrame, Frame)};
   * planar output is full size only.
   *
   * @param frame the encoded frame
   * @param scale how much smaller than the JPEG to decode
   * @param dst the destination, of the scaled size
   */
  void decodeInto(EncodedFrame frame, DecodeScale scale, Frame dst);

  /**
   * Decodes at a {@link DecodeScale} of the payload's size into a new frame of {@code format}.
   *
   * @param frame the encoded frame
   * @param scale how much smaller than the JPEG to decode
   * @param format the output pixel format
   * @return the decoded frame, of the scaled size
   */
  Frame decode(EncodedFrame frame, DecodeScale scale, PixelFormat format);

  /**
   * Decodes a whole array into a new tightly packed BGR frame.
   *
   * @param jpeg the JPEG payload
   * @param mode the JPEG mode the payload was made in
   * @return the decoded frame
   */
  default Frame decode(byte[] jpeg, JpegMode mode) {
    return decode(jpeg, 0, jpeg.length, mode, PixelFormat.BGR);
  }

  /** Frees native state; idempotent. */
  @Override
  void close();
}
