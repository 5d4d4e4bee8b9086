package org.framecodec.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * The shared half of every {@link JpegCodec}: argument checks with the bad value in the message,
 * limits checked from the header before allocation (pixels) and from the marker walk before
 * decoding (scans, scans x pixels, enough scan data), the closed state, the allocating and
 * {@link ByteBuffer} overloads, and the {@link CodecListener} calls. A backend implements only the
 * four {@code do*} calls, each of which receives checked arguments. A new encode or decode path
 * should go through {@code encodeChecked}/{@code decodeChecked} or tell the listeners itself.
 */
abstract class AbstractJpegCodec implements JpegCodec {
  private final Limits limits;
  private boolean closed;

  AbstractJpegCodec(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Encodes a checked frame into a region of at least {@link #maxEncodedSize} bytes; returns the length. */
  abstract int doEncode(Frame src, EncodeOptions options, ByteRegion dst);

  /** Reads a header; the region is non-empty and within the payload limit. */
  abstract JpegInfo doReadHeader(ByteRegion jpeg);

  /** Decodes into a writable frame whose size equals {@code info}'s scaled by {@code scale}. */
  abstract void doDecode(ByteRegion jpeg, JpegInfo info, JpegMode mode, DecodeScale scale, Frame dst);

  /** Frees native state; called once. */
  abstract void doClose();

  @Override
  public final Limits limits() {
    return limits;
  }

  @Override
  public int maxEncodedSize(int width, int height, EncodeOptions options) {
    return JpegSizes.maxEncodedSize(width, height, options);
  }

  @Override
  public final int encode(Frame src, EncodeOptions options, byte[] dst, int dstOffset) {
    ensureOpen();
    Objects.requireNonNull(dst, "dst");
    if (dstOffset < 0 || dstOffset > dst.length) {
      throw new IllegalArgumentException("destination offset " + dstOffset + " is outside an array of " + dst.length);
    }
    return encodeChecked(src, options, ByteRegion.of(dst, dstOffset, dst.length - dstOffset));
  }

  @Override
  public final int encode(Frame src, EncodeOptions options, ByteBuffer dst) {
    ensureOpen();
    int n = encodeChecked(src, options, ByteRegion.forWriting(dst));
    dst.position(dst.position() + n);
    return n;
  }

  @Override
  public final byte[] encode(Frame src, EncodeOptions options) {
    ensureOpen();
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(options, "options");
    byte[] out = new byte[maxEncodedSize(src.width(), src.height(), options)];
    int n = encodeChecked(src, options, ByteRegion.of(out, 0, out.length));
    return Arrays.copyOf(out, n);
  }

  @Override
  public final EncodedFrame encodeFrame(Frame src, EncodeOptions options, byte[] buffer) {
    ensureOpen();
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(options, "options");
    int max = maxEncodedSize(src.width(), src.height(), options);
    byte[] out = buffer != null && buffer.length >= max ? buffer : new byte[max];
    int n = encodeChecked(src, options, ByteRegion.of(out, 0, out.length));
    return describe(src, options, out, n);
  }

  @Override
  public final EncodedFrame encodeFrame(Frame src, EncodeOptions options) {
    byte[] exact = encode(src, options);
    return describe(src, options, exact, exact.length);
  }

  private static EncodedFrame describe(Frame src, EncodeOptions options, byte[] payload, int length) {
    boolean gray = options.mode() == JpegMode.GRAY;
    return EncodedFrame.builder().payload(payload, 0, length).size(src.width(), src.height())
        .channels(gray ? 1 : 3).mode(options.mode()).quality(options.quality())
        .subsampling(gray ? null : options.subsampling()).build();
  }

  private int encodeChecked(Frame src, EncodeOptions options, ByteRegion dst) {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(options, "options");
    checkEncodable(src.format(), options);
    int max = maxEncodedSize(src.width(), src.height(), options);
    if (dst.length() < max) {
      throw new IllegalArgumentException("destination has " + dst.length() + " bytes of room; a "
          + src.width() + "x" + src.height() + " frame at " + options + " needs maxEncodedSize = " + max);
    }
    CodecListener[] listeners = CodecMonitor.listeners();
    if (listeners.length == 0) {
      return doEncode(readable(src), options, dst);
    }
    long start = System.nanoTime();
    int n = doEncode(readable(src), options, dst);
    long nanos = System.nanoTime() - start;
    for (CodecListener l : listeners) {
      l.encoded(backend(), options.mode(), n, nanos);
    }
    return n;
  }

  static void checkEncodable(PixelFormat format, EncodeOptions options) {
    boolean ok = switch (options.mode()) {
      case CV2_YUV -> format == PixelFormat.BGR || format == PixelFormat.RGB;
      case GRAY -> true;
      case YCBCR -> format == PixelFormat.BGR || format == PixelFormat.RGB
          || (format.isPlanar() && options.subsampling() == Subsampling.S420);
    };
    if (!ok) {
      String hint = format == PixelFormat.GRAY ? "; use gray mode"
          : format.isPlanar() ? "; planar frames are compressed as ycbcr 4:2:0 or gray" : "";
      throw new IllegalArgumentException("cannot encode a " + format + " frame as " + options + hint);
    }
  }

  /** A frame native code can read: read-only heap buffers are copied once. */
  private static Frame readable(Frame f) {
    if (f.hasArray() || f.isDirect()) {
      return f;
    }
    ByteBuffer copy = ByteBuffer.allocate((int) f.byteSize());
    ByteBuffer src = f.buffer().duplicate();
    src.limit(f.offset() + (int) f.byteSize()).position(f.offset());
    copy.put(src);
    return Frame.wrap(copy.array(), 0, f.rowStride(), f.format(), f.width(), f.height());
  }

  @Override
  public final JpegInfo readHeader(byte[] jpeg, int offset, int length) {
    ensureOpen();
    return header(ByteRegion.of(jpeg, offset, length));
  }

  @Override
  public final JpegInfo readHeader(ByteBuffer jpeg) {
    ensureOpen();
    return header(ByteRegion.forReading(jpeg));
  }

  private JpegInfo header(ByteRegion jpeg) {
    if (jpeg.length() == 0) {
      throw new CorruptPayloadException("JPEG payload is empty");
    }
    limits.checkPayloadBytes(jpeg.length());
    if (jpeg.length() < 2 || jpeg.get(0) != (byte) 0xFF || jpeg.get(1) != (byte) 0xD8) {
      throw new CorruptPayloadException(
          "not a JPEG: payload of " + jpeg.length() + " bytes does not start with the SOI marker FF D8");
    }
    JpegInfo info = doReadHeader(jpeg);
    limits.checkPixels(info.width(), info.height());
    return info;
  }

  @Override
  public final void decodeInto(byte[] jpeg, int offset, int length, JpegMode mode, Frame dst) {
    ensureOpen();
    ByteRegion region = ByteRegion.of(jpeg, offset, length);
    decodeChecked(region, decodeHeader(region), mode, DecodeScale.FULL, dst);
  }

  @Override
  public final void decodeInto(ByteBuffer jpeg, JpegMode mode, Frame dst) {
    ensureOpen();
    ByteRegion region = ByteRegion.forReading(jpeg);
    decodeChecked(region, decodeHeader(region), mode, DecodeScale.FULL, dst);
  }

  @Override
  public final Frame decode(byte[] jpeg, int offset, int length, JpegMode mode, PixelFormat format) {
    ensureOpen();
    return decodeNew(ByteRegion.of(jpeg, offset, length), mode, format);
  }

  @Override
  public final Frame decode(ByteBuffer jpeg, JpegMode mode, PixelFormat format) {
    ensureOpen();
    return decodeNew(ByteRegion.forReading(jpeg), mode, format);
  }

  @Override
  public final void decodeInto(EncodedFrame frame, Frame dst) {
    decodeInto(frame, DecodeScale.FULL, dst);
  }

  @Override
  public final Frame decode(EncodedFrame frame, PixelFormat format) {
    return decode(frame, DecodeScale.FULL, format);
  }

  @Override
  public final void decodeInto(EncodedFrame frame, DecodeScale scale, Frame dst) {
    ensureOpen();
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(scale, "scale");
    ByteRegion region = region(frame);
    decodeChecked(region, declaredHeader(frame, region), frame.mode(), scale, dst);
  }

  @Override
  public final Frame decode(EncodedFrame frame, DecodeScale scale, PixelFormat format) {
    ensureOpen();
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(format, "format");
    checkDecodable(frame.mode(), format);
    ByteRegion region = region(frame);
    JpegInfo info = declaredHeader(frame, region);
    Frame dst = Frame.allocate(format, scale.scale(info.width()), scale.scale(info.height()));
    decodeChecked(region, info, frame.mode(), scale, dst);
    return dst;
  }

  private static ByteRegion region(EncodedFrame frame) {
    return ByteRegion.of(frame.payloadArray(), frame.payloadOffset(), frame.payloadLength());
  }

  @Override
  public final JpegInfo readHeader(EncodedFrame frame) {
    ensureOpen();
    Objects.requireNonNull(frame, "frame");
    return declaredHeader(frame, region(frame));
  }

  /** The payload's header, which must agree with what the frame declares. */
  private JpegInfo declaredHeader(EncodedFrame frame, ByteRegion region) {
    JpegInfo info = decodeHeader(region);
    if (info.width() != frame.width() || info.height() != frame.height()
        || info.components() != frame.channels()) {
      throw new CorruptPayloadException("the frame declares shape [" + frame.height() + ", "
          + frame.width() + ", " + frame.channels() + "] but its JPEG header says [" + info.height()
          + ", " + info.width() + ", " + info.components() + "]");
    }
    return info;
  }

  private Frame decodeNew(ByteRegion jpeg, JpegMode mode, PixelFormat format) {
    Objects.requireNonNull(format, "format");
    checkDecodable(mode, format);
    JpegInfo info = decodeHeader(jpeg);
    Frame dst = Frame.allocate(format, info.width(), info.height());
    decodeChecked(jpeg, info, mode, DecodeScale.FULL, dst);
    return dst;
  }

  private void decodeChecked(ByteRegion jpeg, JpegInfo info, JpegMode mode, DecodeScale scale,
      Frame dst) {
    Objects.requireNonNull(dst, "dst");
    checkDecodable(mode, dst.format());
    if (!dst.hasArray() && !dst.isDirect()) {
      throw new IllegalArgumentException("destination frame is backed by a read-only buffer");
    }
    if (scale != DecodeScale.FULL && dst.format().isPlanar()) {
      throw new IllegalArgumentException("a scaled decode writes BGR, RGB or GRAY, not " + dst.format());
    }
    int w = scale.scale(info.width());
    int h = scale.scale(info.height());
    if (w != dst.width() || h != dst.height()) {
      throw new FrameFormatException("payload is " + info.width() + "x" + info.height()
          + (scale == DecodeScale.FULL ? "" : ", " + w + "x" + h + " at " + scale)
          + " but the destination frame is " + dst.width() + "x" + dst.height());
    }
    CodecListener[] listeners = CodecMonitor.listeners();
    if (listeners.length == 0) {
      doDecode(jpeg, info, mode, scale, dst);
      return;
    }
    long start = System.nanoTime();
    doDecode(jpeg, info, mode, scale, dst);
    long nanos = System.nanoTime() - start;
    for (CodecListener l : listeners) {
      l.decoded(backend(), mode, jpeg.length(), nanos);
    }
  }

  /**
   * The scan and work limits, counted in Java for both backends before either decodes: so a
   * progressive payload cannot cost seconds of CPU on one backend while the other refuses it.
   */
  private JpegInfo decodeHeader(ByteRegion jpeg) {
    JpegInfo info = header(jpeg);
    checkScanData(JpegScanCounter.walk(jpeg), info, limits);
    return info;
  }

  /** Scan and work limits, then enough scan data for the declared size; see {@link JpegScanCounter}. */
  static void checkScanData(JpegScanCounter.Scans scans, JpegInfo info, Limits limits) {
    limits.checkScans(scans.scans(), info.pixels());
    if (scans.tooShort()) {
      throw new CorruptPayloadException("corrupt JPEG: it declares " + info.width() + "x" + info.height()
          + " but holds " + scans.entropyBytes() + " bytes of scan data, fewer than the "
          + (scans.minEntropyBits() + 7) / 8 + " any Huffman-coded JPEG of that size needs (one bit per"
          + " 8x8 block): truncated");
    }
  }

  static void checkDecodable(JpegMode mode, PixelFormat format) {
    Objects.requireNonNull(mode, "mode");
    boolean ok = switch (format) {
      case BGR, RGB -> true;
      case GRAY -> mode != JpegMode.CV2_YUV;
      case I420 -> mode == JpegMode.YCBCR;
      case NV12 -> false;
    };
    if (!ok) {
      throw new IllegalArgumentException("cannot decode " + mode.wireName() + " payloads to " + format
          + "; decode to BGR, RGB" + (mode == JpegMode.CV2_YUV ? "" : ", GRAY or (ycbcr 4:2:0) I420"));
    }
  }

  final void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(backend() + " codec is closed");
    }
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      doClose();
    }
  }
}
