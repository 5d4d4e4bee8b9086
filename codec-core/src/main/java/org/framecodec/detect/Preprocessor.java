package org.framecodec.detect;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.natives.FrameMats;
import org.framecodec.natives.NativeScope;

/**
 * Writes frames into slots of one float input tensor as an {@link InputSpec} says: resize or
 * letterbox, channel order, normalisation, NCHW or NHWC.
 *
 * <p>Owns the tensor memory (grown to the largest batch seen, then reused), a uint8 canvas of the
 * input size and a scratch copy for frames in Java arrays; direct-buffer frames are read in place.
 * The tensor is valid until the next {@link #put} into the same slot. Each call's OpenCV headers
 * live in a {@link PointerScope} that frees them on return. Not thread-safe.
 */
final class Preprocessor implements AutoCloseable {
  private final InputSpec spec;
  private final int floatsPerImage;
  private final Mat canvas;
  private final MatVector bytePlanes = NativeScope.keep(new MatVector());
  private final Mat grayToColor = NativeScope.keep(new Mat());
  private final Scalar pad;
  private FloatPointer tensor = NativeScope.keep(new FloatPointer(0L));
  private int slots;
  private BytePointer scratch = NativeScope.keep(new BytePointer(0L));

  Preprocessor(InputSpec spec) {
    this.spec = spec;
    this.floatsPerImage = spec.floatsPerImage();
    this.canvas = NativeScope.keep(new Mat(spec.height(), spec.width(), CV_8UC3));
    this.pad = NativeScope.keep(Scalar.all(spec.padValue()));
  }

  /** Makes room for {@code n} images; the tensor's earlier contents are lost when it grows. */
  void reserve(int n) {
    if (n > slots) {
      tensor.deallocate();
      tensor = NativeScope.keep(new FloatPointer((long) n * floatsPerImage));
      slots = n;
    }
  }

  /** A tensor header over the first {@code n} slots, shaped as the spec's layout; valid until the next reserve. */
  Mat batch(int n) {
    return new Mat(spec.tensorShape(n), CV_32F, tensor.getPointer(0));
  }

  /** A batch-of-one tensor header over slot {@code slot}. */
  Mat single(int slot) {
    return new Mat(spec.tensorShape(1), CV_32F, tensor.getPointer((long) slot * floatsPerImage));
  }

  /** Resizes, reorders and normalises {@code frame} into slot {@code slot}; returns its placement. */
  Letterbox put(int slot, Frame frame) {
    if (slot < 0 || slot >= slots) {
      throw new IllegalArgumentException("slot " + slot + " outside the " + slots + " reserved");
    }
    Letterbox lb = Letterbox.of(frame.width(), frame.height(), spec);
    if (!frame.isDirect()) {
      ensureScratch(frame.byteSize()); // before the scope below, which frees what is made in it
    }
    try (PointerScope scope = new PointerScope()) {
      Mat src = wrap(frame);
      PixelFormat order = frame.format();
      if (order == PixelFormat.GRAY) {
        opencv_imgproc.cvtColor(src, grayToColor, opencv_imgproc.COLOR_GRAY2BGR);
        src = grayToColor;
        order = PixelFormat.BGR;
      }
      boolean padded = lb.resizedWidth() != spec.width() || lb.resizedHeight() != spec.height();
      if (padded) {
        canvas.put(pad);
      }
      Mat roi = padded ? canvas.apply(new Rect(lb.padX(), lb.padY(), lb.resizedWidth(),
          lb.resizedHeight())) : canvas;
      opencv_imgproc.resize(src, roi, new Size(lb.resizedWidth(), lb.resizedHeight()), 0, 0,
          spec.interpolation() == Interpolation.AREA ? opencv_imgproc.INTER_AREA
              : opencv_imgproc.INTER_LINEAR);
      if (order != spec.channelOrder()) {
        // Swapping after the resize touches input-size pixels, not frame-size ones.
        opencv_imgproc.cvtColor(canvas, canvas, opencv_imgproc.COLOR_BGR2RGB);
      }
      normalise(slot);
    }
    return lb;
  }

  private void normalise(int slot) {
    long base = (long) slot * floatsPerImage;
    int h = spec.height();
    int w = spec.width();
    if (spec.layout() == TensorLayout.NHWC && spec.uniformNormalisation()) {
      Mat dst = new Mat(h, w, CV_32FC3, tensor.getPointer(base));
      canvas.convertTo(dst, CV_32F, spec.scale(0), -spec.mean(0) * spec.scale(0));
      return;
    }
    // Per channel: split the small uint8 canvas, convert each plane with its own mean and scale,
    // straight into the tensor for NCHW, or into float planes merged into the slot for NHWC.
    opencv_core.split(canvas, bytePlanes);
    MatVector floatPlanes = new MatVector(3);
    for (int c = 0; c < 3; c++) {
      Mat plane = spec.layout() == TensorLayout.NCHW
          ? new Mat(h, w, CV_32F, tensor.getPointer(base + (long) c * h * w)) : new Mat();
      bytePlanes.get(c).convertTo(plane, CV_32F, spec.scale(c), -spec.mean(c) * spec.scale(c));
      floatPlanes.put(c, plane);
    }
    if (spec.layout() == TensorLayout.NHWC) {
      opencv_core.merge(floatPlanes, new Mat(h, w, CV_32FC3, tensor.getPointer(base)));
    }
  }

  /** A Mat over the frame's pixels: in place for direct buffers, via the scratch copy otherwise. */
  private Mat wrap(Frame f) {
    return FrameMats.wrap(f, scratch);
  }

  private void ensureScratch(long size) {
    if (scratch.capacity() < size) {
      scratch.deallocate();
      scratch = NativeScope.keep(new BytePointer(Math.max(size, scratch.capacity() * 3 / 2)));
    }
  }

  @Override
  public void close() {
    tensor.deallocate();
    scratch.deallocate();
    canvas.deallocate();
    grayToColor.deallocate();
    bytePlanes.deallocate();
    pad.deallocate();
  }
}
