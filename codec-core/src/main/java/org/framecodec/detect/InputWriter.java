package org.framecodec.detect;

import java.nio.FloatBuffer;
import java.util.Objects;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Writes one image into one slot of a float input tensor as an {@link InputSpec} says, in a
 * single native pass: resize (or letterbox), channel order, normalisation, NCHW or NHWC. The
 * image may be the frame itself or a smaller decode of it (a JPEG decoded at
 * {@link org.framecodec.codec.DecodeScale 1/2, 1/4 or 1/8}): the placement is computed from the
 * frame's full size, so boxes map back to the frame either way.
 *
 * <p>The tensor is a direct {@link FloatBuffer} (the memory the inference engine reads) of
 * {@code n * spec.floatsPerImage()} floats; slot {@code i} starts at float
 * {@code i * floatsPerImage()}. The writer reads the image during the call only.
 *
 * <p><b>Not thread-safe</b>: it reuses two small argument arrays (and a copy buffer for images in
 * read-only heap buffers, which native code cannot read in place), so nothing is allocated per
 * image; give each thread its own (they are cheap). The kernel itself is stateless.
 */
final class InputWriter {
  private final InputSpec spec;
  private final int[] geometry = new int[TensorNative.GEOMETRY_INTS];
  private final float[] norm = new float[6];
  /** A copy of read-only heap images, which native code cannot read in place. */
  private byte[] copy = new byte[0];

  InputWriter(InputSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    TensorNative.ensureLoaded();
    float[] mean = spec.mean();
    float[] scale = spec.scale();
    for (int c = 0; c < 3; c++) {
      norm[c] = mean[c];
      norm[3 + c] = scale[c];
    }
  }

  InputSpec spec() {
    return spec;
  }

  /**
   * Writes {@code image}, a view of a frame of {@code frameWidth x frameHeight} at any scale,
   * into slot {@code slot} of {@code tensor}; returns where the frame landed, in frame pixels.
   *
   * @throws IllegalArgumentException if the image is planar, the tensor is not direct, or the
   *     slot lies outside it
   */
  Letterbox write(Frame image, int frameWidth, int frameHeight, FloatBuffer tensor, int slot) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(tensor, "tensor");
    PixelFormat f = image.format();
    if (f.isPlanar()) {
      throw new IllegalArgumentException("cannot write a planar " + f + " image into a tensor");
    }
    if (!tensor.isDirect()) {
      throw new IllegalArgumentException("the tensor must be a direct FloatBuffer");
    }
    long offset = (long) slot * spec.floatsPerImage();
    if (slot < 0 || offset + spec.floatsPerImage() > tensor.capacity()) {
      throw new IllegalArgumentException("slot " + slot + " of " + spec.floatsPerImage()
          + " floats lies outside a tensor of " + tensor.capacity());
    }
    Letterbox lb = Letterbox.of(frameWidth, frameHeight, spec);
    int[] g = geometry;
    g[0] = image.width();
    g[1] = image.height();
    g[2] = image.rowStride();
    g[3] = f == PixelFormat.GRAY ? 1 : 3;
    g[4] = f == PixelFormat.RGB ? 1 : 0;
    g[5] = spec.width();
    g[6] = spec.height();
    g[7] = spec.layout() == TensorLayout.NCHW ? 1 : 0;
    g[8] = spec.channelOrder() == PixelFormat.RGB ? 1 : 0;
    g[9] = spec.padValue();
    g[10] = spec.interpolation() == Interpolation.AREA ? TensorNative.INTERP_AREA : TensorNative.INTERP_LINEAR;
    g[11] = lb.resizedWidth();
    g[12] = lb.resizedHeight();
    g[13] = lb.padX();
    g[14] = lb.padY();
    g[15] = (int) offset;
    if (image.hasArray()) {
      TensorNative.letterbox(image.array(), true, image.offset(), g, norm, tensor);
    } else if (image.isDirect()) {
      TensorNative.letterbox(image.buffer(), false, image.offset(), g, norm, tensor);
    } else {
      int bytes = (int) image.byteSize();
      if (copy.length < bytes) {
        copy = new byte[bytes];
      }
      image.buffer().get(image.offset(), copy, 0, bytes);
      TensorNative.letterbox(copy, true, 0, g, norm, tensor);
    }
    return lb;
  }
}
