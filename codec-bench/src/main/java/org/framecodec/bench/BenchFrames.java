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
}
