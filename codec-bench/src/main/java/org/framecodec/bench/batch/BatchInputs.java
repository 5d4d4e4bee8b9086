package org.framecodec.bench.batch;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Inputs for the batch benchmarks: seeded synthetic BGR frames (a gradient with noise, so the
 * encoder has real work and every seed gives different bytes) or a PNG from the shared corpus.
 * Not thread-safe; used from {@code @Setup} only.
 */
final class BatchInputs {
  static final int WIDTH_1080P = 1920;
  static final int HEIGHT_1080P = 1080;

  private BatchInputs() {}

  /**
   * {@code count} distinct frames: {@code source} is {@code synthetic} (seeded gradient and noise)
   * or the path of a PNG, whose frame is repeated.
   */
  static Frame[] frames(String source, int count, long seed) {
    Frame[] out = new Frame[count];
    if ("synthetic".equals(source)) {
      Random rnd = new Random(seed);
      for (int i = 0; i < count; i++) {
        out[i] = gradientNoise(WIDTH_1080P, HEIGHT_1080P, rnd.nextLong());
      }
      return out;
    }
    Frame photo = readBgr(Path.of(source));
    for (int i = 0; i < count; i++) {
      out[i] = photo;
    }
    return out;
  }

  /** A BGR gradient with seeded noise of +-8 levels. */
  static Frame gradientNoise(int width, int height, long seed) {
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

  /** Reads a PNG as a BGR frame (ImageIO's TYPE_3BYTE_BGR raster is BGR already). */
  static Frame readBgr(Path png) {
    if (!Files.isRegularFile(png)) {
      throw new IllegalArgumentException("no such image: " + png);
    }
    try {
      BufferedImage src = ImageIO.read(png.toFile());
      if (src == null) {
        throw new IllegalArgumentException("not an image ImageIO can read: " + png);
      }
      BufferedImage bgr = src;
      if (src.getType() != BufferedImage.TYPE_3BYTE_BGR) {
        bgr = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(src, 0, 0, null);
      }
      byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
      return Frame.wrap(data, PixelFormat.BGR, bgr.getWidth(), bgr.getHeight());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + png, e);
    }
  }
}
