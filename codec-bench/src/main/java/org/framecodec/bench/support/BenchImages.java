package org.framecodec.bench.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;

/**
 * The one place the tool and the benchmarks load images: the bundled 1080p photograph, a
 * .png/.jpg/.npy file, any format OpenCV reads, or an OpenCV {@link Mat}. Every frame returned is
 * the caller's (a Java array, no native memory held). Stateless and thread-safe.
 */
public final class BenchImages {
  /** File name of the bundled 1080p frame (an LGPL-3.0 image, see frames/ATTRIBUTION.md in the jar). */
  public static final String BUNDLED = "evening-glow-1080p.png";

  private BenchImages() {}

  /** The bundled 1920x1080 photograph as a BGR frame. */
  public static Frame bundled() throws IOException {
    try (InputStream in = BundledFiles.open(BundledFiles.FRAMES_1080P.get(0))) {
      if (in == null) {
        throw new IOException("the bundled frame " + BUNDLED + " is not in this build; pass a FRAME file");
      }
      return ImageFiles.read(in, BUNDLED);
    }
  }

  /** A frame from a .png, .jpg or .npy file (uint8 HxWx3 BGR or HxW), or the bundled frame when {@code file} is null. */
  public static Frame load(Path file) throws IOException {
    if (file == null) {
      return bundled();
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file: " + file);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      return Npy.read(file);
    }
    if (ImageFiles.isImageName(name)) {
      return ImageFiles.read(file);
    }
    throw new UnsupportedPayloadException("input " + file + " must be .png, .jpg or .npy");
  }

  /**
   * Reads any format OpenCV's {@code imread} decodes (PNG, JPEG, ...) as BGR; throws
   * {@link IllegalArgumentException} naming the file when it cannot.
   */
  public static Frame readWithOpenCv(Path file) {
    Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
    try {
      if (m == null || m.empty()) {
        throw new IllegalArgumentException("cannot read image " + file
            + " (not an image format OpenCV decodes, or damaged)");
      }
      return toFrame(m);
    } finally {
      if (m != null) {
        m.deallocate();
      }
    }
  }

  /** Copies an 8-bit 3-channel (BGR) Mat, any row step, into a new frame; the Mat stays the caller's. */
  public static Frame toFrame(Mat m) {
    if (m.channels() != 3 || m.elemSize1() != 1) {
      throw new IllegalArgumentException("expected an 8-bit 3-channel image, got OpenCV type " + m.type());
    }
    int rowBytes = m.cols() * 3;
    byte[] px = new byte[rowBytes * m.rows()];
    BytePointer data = m.data();
    for (int y = 0; y < m.rows(); y++) {
      data.position(y * m.step()).get(px, y * rowBytes, rowBytes);
    }
    return Frame.wrap(px, PixelFormat.BGR, m.cols(), m.rows());
  }
}
