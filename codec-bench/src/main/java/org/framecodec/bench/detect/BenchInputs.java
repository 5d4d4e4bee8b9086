package org.framecodec.bench.detect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * The frames the detector benchmarks feed, all made from files bundled in the jar so nothing is
 * downloaded: the 512x512 astronaut portrait, and a 1920x1080 composite of it (the portrait
 * scaled to 1080x1080, centred between two colour gradients) standing in for a 1080p stream frame.
 */
final class BenchInputs {
  /** The {@code model} and {@code image} parameter value that means the file bundled in the jar. */
  static final String BUNDLED = "bundled";

  private BenchInputs() {}

  /** The file a parameter names, or the bundled {@code name} for {@link #BUNDLED}. */
  static Path resolve(String param, String name, String what) {
    try {
      return BundledFiles.orBundled(BUNDLED.equals(param) ? null : Path.of(param), name, "-p " + what);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The detector model a {@code model} parameter names. */
  static Path model(String param) {
    return resolve(param, BundledFiles.BLAZEFACE_FRONT, "model");
  }

  /** {@code astronaut-512} or {@code composite-1080p}. */
  static Frame frame(String name, String imagePath) {
    Path file = resolve(imagePath, BundledFiles.ASTRONAUT, "image");
    Mat portrait = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
    if (portrait.empty()) {
      throw new IllegalStateException("cannot read " + imagePath);
    }
    return switch (name) {
      case "astronaut-512" -> BenchImages.toFrame(portrait);
      case "composite-1080p" -> {
        Mat big = new Mat();
        opencv_imgproc.resize(portrait, big, new Size(1080, 1080), 0, 0, opencv_imgproc.INTER_LINEAR);
        Frame f = Frame.allocate(PixelFormat.BGR, 1920, 1080);
        byte[] px = f.array();
        for (int y = 0; y < 1080; y++) {
          for (int x = 0; x < 1920; x++) {
            int i = (y * 1920 + x) * 3;
            px[i] = (byte) (x * 255 / 1920);
            px[i + 1] = (byte) (y * 255 / 1080);
            px[i + 2] = (byte) 120;
          }
        }
        Frame inner = BenchImages.toFrame(big);
        for (int y = 0; y < 1080; y++) {
          System.arraycopy(inner.array(), y * 1080 * 3, px, (y * 1920 + 420) * 3, 1080 * 3);
        }
        yield f;
      }
      default -> throw new IllegalArgumentException("unknown frame '" + name
          + "'; expected astronaut-512 or composite-1080p");
    };
  }

  /** {@code n} references to the same frame: a batch whose every item costs the same. */
  static List<Frame> repeat(Frame f, int n) {
    List<Frame> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(f);
    }
    return out;
  }

  /** {@code n} references to one encoded frame. */
  static List<EncodedFrame> payloads(JpegCodec codec, Frame f, EncodeOptions options, int n) {
    EncodedFrame payload = codec.encodeFrame(f, options);
    List<EncodedFrame> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(payload);
    }
    return out;
  }
}
