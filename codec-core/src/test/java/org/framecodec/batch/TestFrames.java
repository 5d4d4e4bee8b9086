package org.framecodec.batch;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/** Frames for codec tests: seeded synthetic gradients with noise, and the shared photo corpus. */
final class TestFrames {
  private TestFrames() {}

  /** A BGR gradient with seeded noise: compressible like a photo, different per seed. */
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

  /** The shared corpus folder, from the {@code framecodec.shared} property the build sets. */
  static Path corpus(String name) {
    return Path.of(System.getProperty("framecodec.shared", "../../shared"), "corpus", "frames", name);
  }

  /** Reads a PNG as a BGR frame; ImageIO's TYPE_3BYTE_BGR rasters are BGR already. Null if missing. */
  static Frame readBgr(Path png) throws IOException {
    if (!Files.isRegularFile(png)) {
      return null;
    }
    BufferedImage src = ImageIO.read(png.toFile());
    BufferedImage bgr = src;
    if (src.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      bgr = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(src, 0, 0, null);
    }
    byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    return Frame.wrap(data, PixelFormat.BGR, bgr.getWidth(), bgr.getHeight());
  }
}
