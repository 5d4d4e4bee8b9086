package org.framecodec.frames;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A uint8 image laid out like a C-order numpy array, wrapping caller memory without copying.
 *
 * <p>A frame is a view: a {@code byte[]} or a heap or direct {@link ByteBuffer}, an offset, a
 * {@link PixelFormat}, a width and height, and a row stride in bytes, so a crop or a padded
 * decoder output needs no copy. For planar formats the stride is the Y plane's; chroma rows of an
 * {@link PixelFormat#I420} frame are {@code ceil(stride/2)} bytes apart and those of an
 * {@link PixelFormat#NV12} frame {@code 2*ceil(stride/2)}, and the planes follow one another
 * (Y, then U, then V for I420; Y, then UV for NV12).
 *
 * <p>Sizes are validated at construction: a frame never describes bytes its storage does not
 * have. The view itself is immutable and thread-safe; the pixels are the caller's and are read
 * or written wherever the caller's buffer is shared. Buffer position and limit are read once, at
 * wrap time, and never changed.
 */
public final class Frame {
  private final PixelFormat format;
  private final int width;
  private final int height;
  private final int rowStride;
  private final int offset;
  private final byte[] array;
  private final ByteBuffer buffer;

  private Frame(PixelFormat format, int width, int height, int rowStride, int offset, byte[] array,
      ByteBuffer buffer) {
    this.format = Objects.requireNonNull(format, "format");
    this.width = width;
    this.height = height;
    this.rowStride = rowStride;
    this.offset = offset;
    this.array = array;
    this.buffer = buffer;
    long capacity = array != null ? array.length : buffer.capacity();
    validate(format, width, height, rowStride, offset, capacity);
  }

  /**
   * Wraps a tightly packed frame that starts at index 0 of {@code data}.
   *
   * @param data the pixel storage, not copied
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   * @return the frame view
   */
  public static Frame wrap(byte[] data, PixelFormat format, int width, int height) {
    return wrap(data, 0, minStride(format, width), format, width, height);
  }

  /**
   * Wraps {@code data} from {@code offset}, with rows {@code rowStride} bytes apart.
   *
   * @param data the pixel storage, not copied
   * @param offset index of the first pixel byte
   * @param rowStride bytes between the starts of two rows
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   * @return the frame view
   */
  public static Frame wrap(byte[] data, int offset, int rowStride, PixelFormat format, int width,
      int height) {
    Objects.requireNonNull(data, "data");
    return new Frame(format, width, height, rowStride, offset, data, null);
  }

  /**
   * Wraps a tightly packed frame starting at the buffer's position.
   *
   * @param data the pixel storage, not copied
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   * @return the frame view
   */
  public static Frame wrap(ByteBuffer data, PixelFormat format, int width, int height) {
    return wrap(data, data.position(), minStride(format, width), format, width, height);
  }

  /**
   * Wraps {@code data} from absolute index {@code offset}, rows {@code rowStride} bytes apart. A
   * heap buffer with an accessible array is stored as that array; any other buffer is kept as is.
   *
   * @param data the pixel storage, not copied
   * @param offset index of the first pixel byte
   * @param rowStride bytes between the starts of two rows
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   * @return the frame view
   */
  public static Frame wrap(ByteBuffer data, int offset, int rowStride, PixelFormat format,
      int width, int height) {
    Objects.requireNonNull(data, "data");
    if (data.hasArray()) {
      return new Frame(format, width, height, rowStride, data.arrayOffset() + offset, data.array(),
          null);
    }
    if (offset < 0 || offset > data.capacity()) {
      throw new IllegalArgumentException(
          "offset " + offset + " is outside the buffer of capacity " + data.capacity());
    }
    return new Frame(format, width, height, rowStride, offset, null, data);
  }

  /**
   * {@return a new zeroed, tightly packed frame on the heap}
   *
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   */
  public static Frame allocate(PixelFormat format, int width, int height) {
    long size = tightSize(format, width, height);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a " + format + " frame of " + width + "x" + height + " needs " + size + " bytes, more than a Java array holds");
    }
    return wrap(new byte[(int) size], format, width, height);
  }

  /**
   * {@return a new zeroed, tightly packed frame in a direct buffer (native memory, freed by the
   * GC)}
   *
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   */
  public static Frame allocateDirect(PixelFormat format, int width, int height) {
    long size = tightSize(format, width, height);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a " + format + " frame of " + width + "x" + height + " needs " + size + " bytes, more than a buffer holds");
    }
    return wrap(ByteBuffer.allocateDirect((int) size), 0, minStride(format, width), format, width,
        height);
  }

  /**
   * {@return the bytes per row with no padding}
   *
   * @param format the pixel layout
   * @param width width in pixels
   */
  public static int minStride(PixelFormat format, int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("width must be positive, got " + width);
    }
    long stride = (long) width * format.bytesPerPixel();
    if (stride > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("width " + width + " is too large for " + format);
    }
    return (int) stride;
  }

  /**
   * {@return the bytes a tightly packed frame of this format and size occupies}
   *
   * @param format the pixel layout
   * @param width width in pixels
   * @param height height in pixels
   */
  public static long tightSize(PixelFormat format, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "frame dimensions must be positive, got " + width + "x" + height);
    }
    return requiredBytes(format, width, height, minStride(format, width));
  }

  private static long requiredBytes(PixelFormat format, int width, int height, int stride) {
    long rowBytes = (long) width * format.bytesPerPixel();
    long lastPlaneEnd = (long) stride * (height - 1) + rowBytes;
    if (!format.isPlanar()) {
      return lastPlaneEnd;
    }
    long yBytes = (long) stride * height;
    int chromaRows = (height + 1) / 2;
    long chromaRow = format == PixelFormat.I420 ? (width + 1) / 2 : 2L * ((width + 1) / 2);
    long chromaStride = chromaStride(format, stride);
    long chromaPlane = chromaStride * (chromaRows - 1) + chromaRow;
    return format == PixelFormat.I420 ? yBytes + chromaStride * chromaRows + chromaPlane
        : yBytes + chromaPlane;
  }

  private static int chromaStride(PixelFormat format, int stride) {
    int half = (int) (((long) stride + 1) / 2);
    return format == PixelFormat.NV12 ? 2 * half : half;
  }

  private static void validate(PixelFormat format, int width, int height, int rowStride, int offset,
      long capacity) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "frame dimensions must be positive, got " + width + "x" + height);
    }
    int minStride = minStride(format, width);
    if (rowStride < minStride) {
      throw new IllegalArgumentException("row stride " + rowStride + " is less than the "
          + minStride + " bytes a row of " + width + " " + format + " pixels needs");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
    long needed = requiredBytes(format, width, height, rowStride);
    if (offset + needed > capacity) {
      throw new IllegalArgumentException("a " + width + "x" + height + " " + format
          + " frame with stride " + rowStride + " at offset " + offset + " needs " + (offset + needed)
          + " bytes, but the storage holds " + capacity);
    }
  }

  /** {@return the pixel layout} */
  public PixelFormat format() {
    return format;
  }

  /** {@return the width in pixels} */
  public int width() {
    return width;
  }

  /** {@return the height in pixels} */
  public int height() {
    return height;
  }

  /**
   * {@return the bytes from the start of one row to the next (of the Y plane for planar formats)}
   */
  public int rowStride() {
    return rowStride;
  }

  /** {@return the index of the first pixel in {@link #array()} or {@link #buffer()}} */
  public int offset() {
    return offset;
  }

  /** {@return true when the storage is a {@code byte[]} ({@link #array()}), false for a buffer} */
  public boolean hasArray() {
    return array != null;
  }

  /**
   * {@return the wrapped array (not a copy)} Throws {@link IllegalStateException} for buffer-backed
   * frames.
   */
  public byte[] array() {
    if (array == null) {
      throw new IllegalStateException("frame is backed by a " + (buffer.isDirect() ? "direct" : "read-only") + " buffer, not an array");
    }
    return array;
  }

  /**
   * {@return the wrapped buffer (not a duplicate)} Throws {@link IllegalStateException} for
   * array-backed frames.
   */
  public ByteBuffer buffer() {
    if (buffer == null) {
      throw new IllegalStateException("frame is backed by an array, not a buffer");
    }
    return buffer;
  }

  /** {@return true when the storage is a direct buffer that native code can address} */
  public boolean isDirect() {
    return buffer != null && buffer.isDirect();
  }

  /** {@return true when rows follow each other with no padding} */
  public boolean isTight() {
    return rowStride == minStride(format, width);
  }

  /** {@return the bytes of storage this view spans from {@link #offset()}} */
  public long byteSize() {
    return requiredBytes(format, width, height, rowStride);
  }

  /** {@return the numpy shape of an interleaved frame: {@code {H, W, 3}} or {@code {H, W}}} */
  public int[] shape() {
    if (format.isPlanar()) {
      throw new IllegalStateException(format + " frames have no single numpy shape");
    }
    return format == PixelFormat.GRAY ? new int[] {height, width} : new int[] {height, width, 3};
  }

  /**
   * {@return the index of the first byte of plane {@code plane} (0 = Y; 1 = U or UV; 2 = V)}
   *
   * @param plane the plane: 0 = Y; 1 = U or UV; 2 = V
   */
  public int planeOffset(int plane) {
    checkPlane(plane);
    if (plane == 0) {
      return offset;
    }
    int c = chromaStride(format, rowStride);
    int first = offset + rowStride * height;
    return plane == 1 ? first : first + c * ((height + 1) / 2);
  }

  /**
   * {@return the bytes between rows of plane {@code plane}}
   *
   * @param plane the plane: 0 = Y; 1 = U or UV; 2 = V
   */
  public int planeStride(int plane) {
    checkPlane(plane);
    return plane == 0 ? rowStride : chromaStride(format, rowStride);
  }

  private void checkPlane(int plane) {
    int planes = format == PixelFormat.I420 ? 3 : format == PixelFormat.NV12 ? 2 : 1;
    if (plane < 0 || plane >= planes) {
      throw new IllegalArgumentException(format + " has no plane " + plane);
    }
  }

  /**
   * {@return a view of the rectangle at (x, y) of size w x h, sharing storage; interleaved formats
   * only}
   *
   * @param x column, in pixels from the left
   * @param y row, in pixels from the top
   * @param w width
   * @param h height
   */
  public Frame crop(int x, int y, int w, int h) {
    if (format.isPlanar()) {
      throw new UnsupportedOperationException("crop of planar " + format + " frames");
    }
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > width || (long) y + h > height) {
      throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x + "," + y
          + ") does not fit in a " + width + "x" + height + " frame");
    }
    int start = offset + y * rowStride + x * format.bytesPerPixel();
    return new Frame(format, w, h, rowStride, start, array, buffer);
  }

  /**
   * {@return the unsigned value of channel {@code c} at (x, y); interleaved formats only} For tests
   * and tools, not loops.
   *
   * @param x column, in pixels from the left
   * @param y row, in pixels from the top
   * @param c channel index
   */
  public int get(int x, int y, int c) {
    if (format.isPlanar() || x < 0 || y < 0 || x >= width || y >= height || c < 0
        || c >= format.bytesPerPixel()) {
      throw new IndexOutOfBoundsException("(" + x + "," + y + "," + c + ") in " + this);
    }
    int i = offset + y * rowStride + x * format.bytesPerPixel() + c;
    return (array != null ? array[i] : buffer.get(i)) & 0xFF;
  }

  /** {@return the pixels as a new tightly packed array, in C order} */
  public byte[] toByteArray() {
    long size = tightSize(format, width, height);
    byte[] out = new byte[(int) size];
    if (!format.isPlanar()) {
      copyRows(0, rowStride, width * format.bytesPerPixel(), height, out, 0);
      return out;
    }
    int cw = (width + 1) / 2;
    int ch = (height + 1) / 2;
    copyRows(planeOffset(0) - offset, rowStride, width, height, out, 0);
    int pos = width * height;
    if (format == PixelFormat.I420) {
      copyRows(planeOffset(1) - offset, planeStride(1), cw, ch, out, pos);
      copyRows(planeOffset(2) - offset, planeStride(2), cw, ch, out, pos + cw * ch);
    } else {
      copyRows(planeOffset(1) - offset, planeStride(1), 2 * cw, ch, out, pos);
    }
    return out;
  }

  private void copyRows(int from, int stride, int rowBytes, int rows, byte[] out, int outPos) {
    for (int r = 0; r < rows; r++) {
      int src = offset + from + r * stride;
      if (array != null) {
        System.arraycopy(array, src, out, outPos + r * rowBytes, rowBytes);
      } else {
        buffer.get(src, out, outPos + r * rowBytes, rowBytes);
      }
    }
  }

  /**
   * {@return true when both frames have the same format, size and pixel values (strides may
   * differ)}
   *
   * @param other the frame to compare with
   */
  public boolean samePixels(Frame other) {
    return other != null && format == other.format && width == other.width
        && height == other.height && Arrays.equals(toByteArray(), other.toByteArray());
  }

  @Override
  public String toString() {
    return "Frame{" + format + " " + width + "x" + height + ", stride " + rowStride + ", offset "
        + offset + (array != null ? ", byte[" + array.length + "]" : ", " + buffer) + "}";
  }
}
