package org.framecodec.codec;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.NativeCodecException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * The default {@link JpegCodec}: libjpeg-turbo through FrameCodec's JNI shim.
 *
 * <p>Encodes with the accurate integer DCT, baseline Huffman tables and no restart markers, the
 * settings of OpenCV's {@code imencode}, so a {@code cv2-yuv} payload is byte-identical to the
 * Python peer's when both use the same libjpeg-turbo. The {@code cv2-yuv} colour conversion runs
 * in C, in the codec's scratch memory. Decoding stops at the first libjpeg warning, so a
 * truncated payload is an error rather than a grey-filled frame.
 *
 * <p>Byte arrays are pinned for the duration of a call and direct buffers are addressed in
 * place: no copies cross the JNI boundary. Owns one native handle and a scratch buffer of
 * {@code 3 * width * height} bytes at most (cv2-yuv). <b>Not thread-safe</b>; one per thread.
 * {@link #close()} frees the handle; a codec that is never closed is freed by a {@link Cleaner},
 * which logs the leak.
 */
public final class TurboJpegCodec extends AbstractJpegCodec {
  /** Native handles created and not yet freed, in this class loader. */
  private static final AtomicInteger LIVE_HANDLES = new AtomicInteger();

  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;
  private final int[] header = new int[4];

  /** Opens a codec with default limits, loading the bundled shim on first use. */
  public TurboJpegCodec() {
    this(Limits.defaults());
  }

  /**
   * Opens a codec with the given limits, loading the bundled shim on first use.
   *
   * @param limits the size limits to enforce
   */
  public TurboJpegCodec(Limits limits) {
    super(limits);
    TurboJpegNative.ensureLoaded();
    this.handle = new NativeHandle(TurboJpegNative.create());
    this.cleanable = handle.register(this);
  }

  /** Owns the native pointer; freed once, from close() or from the Cleaner. */
  private static final class NativeHandle extends NativeResources {
    private final long ptr;

    NativeHandle(long ptr) {
      super(TurboJpegCodec.class, LIVE_HANDLES);
      this.ptr = ptr;
    }

    @Override
    void free() {
      TurboJpegNative.destroy(ptr);
    }
  }

  /** Native handles not yet freed, by close() or the cleaner; for leak tests. */
  static int liveHandles() {
    return LIVE_HANDLES.get();
  }

  /** Bytes of colour-conversion scratch this codec's handle holds; for memory tests. */
  long scratchBytes() {
    ensureOpen();
    return TurboJpegNative.scratchBytes(handle.ptr);
  }

  @Override
  public CodecBackend backend() {
    return CodecBackend.TURBOJPEG;
  }

  /** libjpeg-turbo's own {@code tjBufSize}, for tests that compare it with {@link JpegSizes}. */
  static long nativeBufSize(int width, int height, Subsampling s, boolean gray) {
    TurboJpegNative.ensureLoaded();
    return TurboJpegNative.bufSize(width, height, gray ? TurboJpegNative.SAMP_GRAY : sampCode(s));
  }

  @Override
  int doEncode(Frame src, EncodeOptions options, ByteRegion dst) {
    Object storage = src.hasArray() ? src.array() : src.buffer();
    int q = options.quality();
    int flags = TurboJpegNative.FLAG_ACCURATEDCT;
    PixelFormat f = src.format();
    if (f.isPlanar()) {
      boolean nv12 = f == PixelFormat.NV12;
      if (options.mode() == JpegMode.GRAY) {
        return TurboJpegNative.compress(handle.ptr, storage, src.hasArray(), src.planeOffset(0),
            src.width(), src.rowStride(), src.height(), TurboJpegNative.PF_GRAY,
            TurboJpegNative.COLOR_NONE, TurboJpegNative.SAMP_GRAY, q, flags, dst.storage(),
            dst.isArray(), dst.offset());
      }
      return TurboJpegNative.compressPlanes(handle.ptr, storage, src.hasArray(), src.planeOffset(0),
          src.rowStride(), src.planeOffset(1), nv12 ? 0 : src.planeOffset(2), src.planeStride(1),
          nv12, src.width(), src.height(), q, flags, dst.storage(), dst.isArray(), dst.offset());
    }
    int samp = options.mode() == JpegMode.GRAY ? TurboJpegNative.SAMP_GRAY
        : sampCode(options.subsampling());
    int color = options.mode() == JpegMode.CV2_YUV ? TurboJpegNative.COLOR_CV2_YUV
        : TurboJpegNative.COLOR_NONE;
    return TurboJpegNative.compress(handle.ptr, storage, src.hasArray(), src.offset(), src.width(),
        src.rowStride(), src.height(), pixelFormat(f), color, samp, q, flags, dst.storage(),
        dst.isArray(), dst.offset());
  }

  @Override
  JpegInfo doReadHeader(ByteRegion jpeg) {
    TurboJpegNative.readHeader(handle.ptr, jpeg.storage(), jpeg.isArray(), jpeg.offset(),
        jpeg.length(), header);
    int components = header[3] == TurboJpegNative.CS_GRAY ? 1 : 3;
    Subsampling s = switch (header[2]) {
      case TurboJpegNative.SAMP_444 -> Subsampling.S444;
      case TurboJpegNative.SAMP_422 -> Subsampling.S422;
      case TurboJpegNative.SAMP_420 -> Subsampling.S420;
      default -> null;
    };
    return new JpegInfo(header[0], header[1], components, components == 1 ? null : s);
  }

  @Override
  void doDecode(ByteRegion jpeg, JpegInfo info, JpegMode mode, DecodeScale scale, Frame dst) {
    Object out = dst.hasArray() ? dst.array() : dst.buffer();
    if (dst.format() == PixelFormat.I420) {
      if (info.components() != 3 || info.subsampling() != Subsampling.S420) {
        throw new org.framecodec.UnsupportedPayloadException("I420 output needs a YCbCr 4:2:0 JPEG; this one is "
            + (info.components() == 1 ? "grayscale" : String.valueOf(info.subsampling())));
      }
      TurboJpegNative.decompressToPlanes(handle.ptr, jpeg.storage(), jpeg.isArray(), jpeg.offset(),
          jpeg.length(), out, dst.hasArray(), dst.planeOffset(0), dst.rowStride(),
          dst.planeOffset(1), dst.planeOffset(2), dst.planeStride(1), dst.width(), dst.height(), 0);
      return;
    }
    int color = mode == JpegMode.CV2_YUV ? TurboJpegNative.COLOR_CV2_YUV : TurboJpegNative.COLOR_NONE;
    try {
      TurboJpegNative.decompress(handle.ptr, jpeg.storage(), jpeg.isArray(), jpeg.offset(),
          jpeg.length(), scale.denominator(), out, dst.hasArray(), dst.offset(), dst.width(),
          dst.rowStride(), dst.height(), pixelFormat(dst.format()), color, 0);
    } catch (CorruptPayloadException e) {
      throw new CorruptPayloadException("corrupt JPEG (" + jpeg.length() + " bytes): " + e.getMessage(), e);
    }
  }

  /**
   * Refuses, with the exception {@link #doDecode} would throw, a payload that libjpeg-turbo cannot
   * decode without a warning: a whole entropy decode at 1/8 scale, output discarded. For the
   * OpenCV backend, which decodes past warnings.
   */
  void validate(ByteRegion jpeg) {
    ensureOpen();
    try {
      TurboJpegNative.validate(handle.ptr, jpeg.storage(), jpeg.isArray(), jpeg.offset(), jpeg.length());
    } catch (CorruptPayloadException e) {
      throw new CorruptPayloadException("corrupt JPEG (" + jpeg.length() + " bytes): " + e.getMessage(), e);
    }
  }

  private static int pixelFormat(PixelFormat f) {
    return switch (f) {
      case BGR -> TurboJpegNative.PF_BGR;
      case RGB -> TurboJpegNative.PF_RGB;
      case GRAY -> TurboJpegNative.PF_GRAY;
      default -> throw new NativeCodecException("no TurboJPEG pixel format for " + f);
    };
  }

  private static int sampCode(Subsampling s) {
    return switch (s) {
      case S444 -> TurboJpegNative.SAMP_444;
      case S422 -> TurboJpegNative.SAMP_422;
      case S420 -> TurboJpegNative.SAMP_420;
    };
  }

  @Override
  void doClose() {
    handle.closedByOwner();
    cleanable.clean();
  }
}
