package org.framecodec.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * The bench's one source of synthetic frames: seeded BGR gradients with noise, so an encoder has
 * real work and every seed gives different bytes; or, for a benchmark's {@code source}
 * parameter, an image file repeated. Stateless and thread-safe; each frame is a new array.
 */
public final class BatchInputs {
  public static final int WIDTH_1080P = 1920;
  public static final int HEIGHT_1080P = 1080;

  private BatchInputs() {}

  /**
   * {@code count} distinct frames: {@code source} is {@code synthetic} (seeded gradient and noise)
   * or the path of a PNG, whose frame is repeated.
   */
  public static Frame[] frames(String source, int count, long seed) {
    Frame[] out = new Frame[count];
    if ("synthetic".equals(source)) {
      Random rnd = new Random(seed);
      for (int i = 0; i < count; i++) {
        out[i] = gradientNoise(WIDTH_1080P, HEIGHT_1080P, rnd.nextLong());
      }
      return out;
    }
    Frame photo;
    try {
      photo = BenchImages.load(Path.of(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < count; i++) {
      out[i] = photo;
    }
    return out;
  }

  /** A BGR gradient with seeded noise of +-8 levels. */
  public static Frame gradientNoise(int width, int height, long seed) {
    Random rnd = new Random(seed);
    byte[] data = new byte[width * height * 3];
    int phase = rnd.nextInt(256);
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int n = rnd.nextInt(17) - 8;
        data[i++] = (byte) clamp(x * 255 / width + n);
        data[i++] = (byte) clamp(y * 255 / height + n);
        data[i++] = (byte) clamp(((x + y) / 4 + phase) % 256 + n);
      }
    }
    return Frame.wrap(data, PixelFormat.BGR, width, height);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
