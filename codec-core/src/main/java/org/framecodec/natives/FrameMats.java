package org.framecodec.natives;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * An OpenCV {@link Mat} header over a {@link Frame}'s pixels, with the frame's row stride: in
 * place for a frame in a direct buffer, else through the caller's native scratch memory, into
 * which the pixels are copied.
 *
 * <p>Ownership: the Mat borrows memory; it is valid while the frame's buffer (direct case) or the
 * scratch (copy case) is, and until the scratch is written again. The scratch is the caller's,
 * who must size it to at least {@code frame.byteSize()} bytes. Internal to FrameCodec's OpenCV
 * codec and detector; needs the optional OpenCV dependency. Stateless and thread-safe; a scratch
 * pointer is not.
 */
public final class FrameMats {
  private FrameMats() {}

  /**
   * A Mat over the frame's pixels (8UC1 for gray, 8UC3 for BGR), in place or via {@code scratch}.
   *
   * @param f the frame; its pixels are read, not changed
   * @param scratch native memory of at least {@code f.byteSize()} bytes, used unless the frame is
   *     in a direct buffer
   * @return a Mat header borrowing the frame's or the scratch's memory
   * @throws IllegalArgumentException if the frame needs the scratch and it is too small
   */
  public static Mat wrap(Frame f, BytePointer scratch) {
    int type = f.format() == PixelFormat.GRAY ? CV_8UC1 : CV_8UC3;
    if (f.isDirect()) {
      BytePointer p = new BytePointer(f.buffer());
      p.position(0).capacity(f.buffer().capacity());
      return new Mat(f.height(), f.width(), type, p.position(f.offset()), f.rowStride());
    }
    long size = f.byteSize();
    if (scratch.capacity() < size) {
      throw new IllegalArgumentException("scratch of " + scratch.capacity() + " bytes is smaller than the "
          + size + "-byte frame");
    }
    if (f.hasArray()) {
      scratch.position(0).put(f.array(), f.offset(), (int) size);
    } else {
      // A read-only heap buffer: no array to copy from, so go through a duplicate's view.
      ByteBuffer src = f.buffer().duplicate();
      src.limit(f.offset() + (int) size).position(f.offset());
      scratch.position(0).limit(size).asByteBuffer().put(src);
      scratch.limit(0);
    }
    return new Mat(f.height(), f.width(), type, scratch.position(0), f.rowStride());
  }
}
