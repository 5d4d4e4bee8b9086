package org.framecodec.stream;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * One decoded picture in native memory, tightly packed BGR: FFmpeg's scaler writes it, the JPEG
 * encoder reads it, OpenCV draws on it and the H.264 side reads it again, all without a copy.
 *
 * <p>Owned by one {@link StreamChannel}'s pool and reused; the capacity grows when a source
 * changes resolution. Not thread-safe: one stage at a time holds it, handed over through the
 * channel's lock. {@link #free()} releases the native memory.
 */
final class FrameBuffer {
  private BytePointer memory;
  private ByteBuffer view;
  private long capacity;
  private int width;
  private int height;

  /** Makes room for a {@code width x height} BGR picture, reallocating only when it grows. */
  void ensure(int width, int height) {
    long need = (long) width * height * 3;
    if (need > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("a " + width + "x" + height + " frame is too large");
    }
    if (memory == null || need > capacity) {
      free();
      memory = new BytePointer(need);
      if (memory.isNull()) {
        memory = null;
        throw new OutOfMemoryError("cannot allocate " + need + " bytes of native memory for a frame");
      }
      capacity = need;
      view = memory.capacity(need).asByteBuffer();
    }
    this.width = width;
    this.height = height;
  }

  BytePointer pointer() {
    return memory;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int stride() {
    return width * 3;
  }

  /** The picture as a {@link Frame} over the same memory. */
  Frame frame() {
    return Frame.wrap(view, 0, stride(), PixelFormat.BGR, width, height);
  }

  void free() {
    if (memory != null) {
      memory.deallocate();
      memory = null;
      view = null;
      capacity = 0;
    }
  }
}
