package org.framecodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.PixelFormat;

/** The 1080p test photographs (src/test/resources/corpus) and seeded synthetic frames. */
public final class CorpusFrames {
  public static final List<String> PHOTOS =
      List.of("evening-glow-1080p.png", "kite-sky-1080p.png", "moss-1080p.png");
  private static final Map<String, Frame> CACHE = new ConcurrentHashMap<>();

  private CorpusFrames() {}

  /** A photograph as a tightly packed BGR frame; callers must not modify it (it is cached). */
  public static Frame photo(String name) {
    return CACHE.computeIfAbsent(name, n -> {
      try (InputStream in = CorpusFrames.class.getResourceAsStream("/corpus/" + n)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource /corpus/" + n);
        }
        return ImageFiles.read(in, n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Uniform random bytes: the worst case for JPEG and a strict test of colour conversion. */
  public static Frame noise(PixelFormat format, int width, int height, long seed) {
    Frame f = Frame.allocate(format, width, height);
    new Random(seed).nextBytes(f.array());
    return f;
  }

  /** Smooth gradients with mild noise: compresses like a real scene, any size. */
  public static Frame gradient(int width, int height, long seed) {
    Frame f = Frame.allocate(PixelFormat.BGR, width, height);
    byte[] px = f.array();
    Random r = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        px[i] = (byte) (x * 255 / Math.max(1, width - 1) + r.nextInt(5));
        px[i + 1] = (byte) (y * 255 / Math.max(1, height - 1) + r.nextInt(5));
        px[i + 2] = (byte) ((x + y) * 127 / Math.max(1, width + height - 2) + 64);
      }
    }
    return f;
  }
}
