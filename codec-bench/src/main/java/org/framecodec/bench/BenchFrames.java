package org.framecodec.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;

/** Loads input frames for the tool and benchmarks: the bundled 1080p frame, or a .png/.jpg/.npy file. */
public final class BenchFrames {
  /** Classpath name of the bundled frame (see frames/ATTRIBUTION.md in this jar). */
  public static final String BUNDLED = "evening-glow-1080p.png";

  private BenchFrames() {}

  /** The bundled 1920x1080 photograph as a BGR frame. */
  public static Frame bundled() throws IOException {
    try (InputStream in = BenchFrames.class.getResourceAsStream("/frames/" + BUNDLED)) {
      if (in == null) {
        throw new IOException("the bundled frame /frames/" + BUNDLED + " is missing from the jar");
      }
      return ImageFiles.read(in, BUNDLED);
    }
  }

  /** A frame from a file, or the bundled frame when {@code path} is null. */
  public static Frame load(String path) throws IOException {
    if (path == null) {
      return bundled();
    }
    Path p = Path.of(path);
    if (!Files.isRegularFile(p)) {
      throw new IOException("no such file: " + path);
    }
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      return Npy.read(p);
    }
    if (ImageFiles.isImageName(name)) {
      return ImageFiles.read(p);
    }
    throw new UnsupportedPayloadException("input " + path + " must be .png, .jpg or .npy");
  }

  /** BT.601 luma of a BGR frame, as libjpeg computes it, for judging gray-mode payloads. */
  public static Frame luma(Frame bgr) {
    Frame g = Frame.allocate(PixelFormat.GRAY, bgr.width(), bgr.height());
    byte[] out = g.array();
    for (int y = 0; y < bgr.height(); y++) {
      for (int x = 0; x < bgr.width(); x++) {
        int b = bgr.get(x, y, 0);
        int gr = bgr.get(x, y, 1);
        int r = bgr.get(x, y, 2);
        out[y * bgr.width() + x] = (byte) ((19595 * r + 38470 * gr + 7471 * b + 32768) >> 16);
      }
    }
    return g;
  }
}
