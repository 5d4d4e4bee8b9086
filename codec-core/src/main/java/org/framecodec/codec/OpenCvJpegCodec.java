package org.framecodec.codec;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.NativeCodecException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.natives.FrameMats;
import org.framecodec.natives.NativeScope;

/**
 * The reference {@link JpegCodec}: bytedeco OpenCV, the engine of the Python peer —
 * {@code cvtColor} plus {@code imencode}/{@code imdecode} with OpenCV's default JPEG settings.
 *
 * <p>Interleaved frames only (BGR, RGB, GRAY); planar I420/NV12 input and output are left to the
 * {@link TurboJpegCodec}, because OpenCV's I420 conversions use limited-range BT.601 and would
 * shift colours. Byte arrays are copied into reused native memory; direct buffers are wrapped in
 * place.
 *
 * <p><b>Warnings are errors, as on the TurboJPEG backend.</b> OpenCV's {@code imdecode} decodes
 * past libjpeg warnings (premature end of data, corrupt data, extraneous bytes) and returns a
 * frame filled with grey where the data was missing, and it has no flag to stop; its error
 * manager is not reachable from Java. So every payload is first validated by libjpeg-turbo
 * through FrameCodec's shim with {@code TJFLAG_STOPONWARNING}: a complete entropy decode of every
 * scan (where all those warnings arise) at 1/8 scale to gray, whose output is discarded. It
 * makes the two backends' verdicts agree, by construction, on everything the entropy decoder can
 * see, and it is not free: on a 1080p photograph (the test program {@code ValidationCost}, 2-core
 * machine under load) 11-20 ms against 21-44 ms for a TurboJPEG decode of the baseline payload,
 * and 35-41 ms against 40-45 ms for its progressive version.
 * The OpenCV backend is the reference and compatibility backend; the default TurboJPEG backend
 * pays nothing for this. Checking for missing data in Java instead (markers, lengths, EOI)
 * cannot see a scan whose Huffman data ends early, which is exactly the truncated payload that
 * became a grey frame. The scan and work limits ({@link Limits#maxScans()},
 * {@link Limits#maxDecodeWork()}) are counted in Java before either decode.
 *
 * <p>Needs {@code org.bytedeco:opencv-platform} on the classpath. <b>Not thread-safe</b>; one per
 * thread. {@link #close()} frees its native scratch memory; a codec that is never closed is
 * freed by a {@link Cleaner}, which logs the leak; the validating TurboJPEG handle is owned and
 * closed likewise. Every OpenCV temporary of a call (Mats,
 * pointers, the encoded buffer) lives in a {@link PointerScope} closed before the call returns;
 * the scratch memory is kept out of any scope the caller has open, so a caller's scope never
 * frees it.
 */
public final class OpenCvJpegCodec extends AbstractJpegCodec {
  private static final int SAMPLING_444 = 0x111111;
  private static final int SAMPLING_422 = 0x211111;
  private static final int SAMPLING_420 = 0x221111;

  /** Scratch buffers allocated and not yet freed, in this class loader. */
  private static final AtomicInteger LIVE_SCRATCH = new AtomicInteger();

  private final Scratch state = new Scratch();
  /** Holds OpenCV to libjpeg-turbo's verdict on warnings; see the class comment. */
  private final TurboJpegCodec validator;
  private final Cleaner.Cleanable cleanable;
  /** Native copy of array inputs; grows to the largest frame or payload seen, owned by {@link #state}. */
  private BytePointer scratch;

  /** Opens a codec with default limits; needs the optional OpenCV dependency. */
  public OpenCvJpegCodec() {
    this(Limits.defaults());
  }

  /**
   * Opens a codec with the given limits; needs the optional OpenCV dependency.
   *
   * @param limits the size limits to enforce
   */
  public OpenCvJpegCodec(Limits limits) {
    super(limits);
    this.validator = new TurboJpegCodec(limits);
    this.scratch = state.pointer;
    this.cleanable = state.register(this);
  }

  /**
   * Holds the scratch pointer for the cleaner, which must not reach the codec. JavaCPP would also
   * free an unreachable pointer through its own reference queue, but silently; this frees it at
   * the same point and says so.
   */
  private static final class Scratch extends NativeResources {
    private BytePointer pointer = NativeScope.keep(new BytePointer(0L));

    Scratch() {
      super(OpenCvJpegCodec.class, LIVE_SCRATCH);
    }

    @Override
    synchronized void free() {
      pointer.deallocate();
    }
  }

  /** Scratch buffers of OpenCV codecs not yet freed; for leak tests. */
  static int liveScratchBuffers() {
    return LIVE_SCRATCH.get();
  }

  @Override
  public CodecBackend backend() {
    return CodecBackend.OPENCV;
  }

  @Override
  int doEncode(Frame src, EncodeOptions options, ByteRegion dst) {
    if (src.format().isPlanar()) {
      throw new IllegalArgumentException("the opencv backend does not encode planar " + src.format()
          + " frames; use the turbojpeg backend");
    }
    if (!src.isDirect()) {
      ensureScratch(src.byteSize()); // before the scope, which frees what is allocated inside it
    }
    try (PointerScope scope = new PointerScope()) {
      Mat image = wrap(src);
      Mat toEncode = image;
      switch (options.mode()) {
        case CV2_YUV -> {
          toEncode = new Mat();
          opencv_imgproc.cvtColor(image, toEncode, src.format() == PixelFormat.BGR
              ? opencv_imgproc.COLOR_BGR2YUV : opencv_imgproc.COLOR_RGB2YUV);
        }
        case YCBCR -> {
          if (src.format() == PixelFormat.RGB) {
            toEncode = new Mat();
            opencv_imgproc.cvtColor(image, toEncode, opencv_imgproc.COLOR_RGB2BGR);
          }
        }
        case GRAY -> {
          if (src.format() != PixelFormat.GRAY) {
            toEncode = new Mat();
            opencv_imgproc.cvtColor(image, toEncode, src.format() == PixelFormat.BGR
                ? opencv_imgproc.COLOR_BGR2GRAY : opencv_imgproc.COLOR_RGB2GRAY);
          }
        }
      }
      IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, options.quality(),
          opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, samplingFactor(options.subsampling()));
      BytePointer out = new BytePointer();
      if (!opencv_imgcodecs.imencode(".jpg", toEncode, out, params)) {
        throw new NativeCodecException("OpenCV imencode failed for " + src + " at " + options);
      }
      long n = out.limit();
      if (n > dst.length()) {
        throw new NativeCodecException("OpenCV produced " + n + " bytes, more than the " + dst.length()
            + " bytes maxEncodedSize allowed");
      }
      copyOut(out, (int) n, dst);
      return (int) n;
    } catch (RuntimeException e) {
      if (e instanceof NativeCodecException || e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new NativeCodecException("OpenCV failed to encode " + src + ": " + e.getMessage(), e);
    }
  }

  private static int samplingFactor(Subsampling s) {
    return switch (s) {
      case S444 -> SAMPLING_444;
      case S422 -> SAMPLING_422;
      case S420 -> SAMPLING_420;
    };
  }

  @Override
  JpegInfo doReadHeader(ByteRegion jpeg) {
    return JpegHeaderParser.parse(jpeg);
  }

  @Override
  void doDecode(ByteRegion jpeg, JpegInfo info, JpegMode mode, DecodeScale scale, Frame dst) {
    if (dst.format().isPlanar()) {
      throw new IllegalArgumentException("the opencv backend does not decode to planar " + dst.format()
          + "; use the turbojpeg backend");
    }
    validator.validate(jpeg);
    if (jpeg.isArray()) {
      ensureScratch(jpeg.length()); // before the scope, which frees what is allocated inside it
    }
    try (PointerScope scope = new PointerScope()) {
      Mat encoded = new Mat(1, jpeg.length(), CV_8UC1, nativeBytes(jpeg));
      boolean gray = dst.format() == PixelFormat.GRAY;
      Mat decoded = opencv_imgcodecs.imdecode(encoded, readFlag(gray, scale));
      if (decoded == null || decoded.empty()) {
        throw new CorruptPayloadException("corrupt JPEG (" + jpeg.length() + " bytes): OpenCV imdecode failed");
      }
      if (decoded.cols() != dst.width() || decoded.rows() != dst.height()) {
        throw new CorruptPayloadException("OpenCV decoded " + decoded.cols() + "x" + decoded.rows()
            + " but the header declares " + dst.width() + "x" + dst.height()
            + (scale == DecodeScale.FULL ? "" : " at " + scale));
      }
      Mat result = decoded;
      if (mode == JpegMode.CV2_YUV) {
        result = new Mat();
        opencv_imgproc.cvtColor(decoded, result, dst.format() == PixelFormat.BGR
            ? opencv_imgproc.COLOR_YUV2BGR : opencv_imgproc.COLOR_YUV2RGB);
      } else if (dst.format() == PixelFormat.RGB) {
        result = new Mat();
        opencv_imgproc.cvtColor(decoded, result, opencv_imgproc.COLOR_BGR2RGB);
      }
      copyInto(result, dst);
    } catch (RuntimeException e) {
      if (e instanceof CorruptPayloadException || e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new CorruptPayloadException("corrupt JPEG (" + jpeg.length() + " bytes): OpenCV: " + e.getMessage(), e);
    }
  }

  /** OpenCV's IMREAD_REDUCED_* flags scale in libjpeg's IDCT, by the same factors and rounding. */
  private static int readFlag(boolean gray, DecodeScale scale) {
    return switch (scale) {
      case FULL -> gray ? opencv_imgcodecs.IMREAD_GRAYSCALE : opencv_imgcodecs.IMREAD_COLOR;
      case HALF -> gray ? opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2 : opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
      case QUARTER -> gray ? opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4 : opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
      case EIGHTH -> gray ? opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8 : opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
    };
  }

  /** A Mat over the frame's pixels: in place for direct buffers, via the scratch for arrays. */
  private Mat wrap(Frame f) {
    return FrameMats.wrap(f, scratch);
  }

  private BytePointer nativeBytes(ByteRegion r) {
    if (!r.isArray()) {
      return new BytePointer(r.direct()).position(r.offset()).capacity(r.offset() + r.length());
    }
    scratch.position(0).put(r.array(), r.offset(), r.length());
    return scratch;
  }

  private void ensureScratch(long size) {
    if (scratch.capacity() < size) {
      // Kept out of any PointerScope the caller has open, which would free it when it closes.
      BytePointer grown = NativeScope.keep(new BytePointer(Math.max(size, scratch.capacity() * 3 / 2)));
      synchronized (state) {
        scratch.deallocate();
        state.pointer = grown;
      }
      scratch = grown;
    }
  }

  private static void copyOut(BytePointer src, int n, ByteRegion dst) {
    if (dst.isArray()) {
      src.position(0).get(dst.array(), dst.offset(), n);
    } else {
      ByteBuffer view = src.position(0).limit(n).asByteBuffer();
      dst.direct().put(dst.offset(), view, 0, n);
    }
  }

  private static void copyInto(Mat m, Frame dst) {
    int rowBytes = dst.width() * dst.format().bytesPerPixel();
    BytePointer data = m.data();
    long step = m.step();
    for (int y = 0; y < dst.height(); y++) {
      int at = dst.offset() + y * dst.rowStride();
      data.position(y * step);
      if (dst.hasArray()) {
        data.get(dst.array(), at, rowBytes);
      } else {
        // asByteBuffer() keeps the pointer's position as the buffer's position, over memory that
        // starts at the Mat's first row: read from there, not from index 0.
        ByteBuffer row = data.limit(y * step + rowBytes).asByteBuffer();
        dst.buffer().put(at, row, row.position(), rowBytes);
      }
    }
  }

  @Override
  void doClose() {
    validator.close();
    scratch = null;
    state.closedByOwner();
    cleanable.clean();
  }
}
