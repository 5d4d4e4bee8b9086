package org.framecodec.frames;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.framecodec.UnsupportedPayloadException;

/**
 * Reads PNG and JPEG image files into {@link Frame}s and writes frames as PNG, through
 * {@code javax.imageio} (module {@code java.desktop}, needed only when this class is used).
 * For tools and tests; services receive frames from decoders, not from files.
 *
 * <p>Colour images become tightly packed {@link PixelFormat#BGR} frames, as OpenCV's
 * {@code imread} returns them; 8-bit grayscale images become {@link PixelFormat#GRAY}. Alpha
 * is dropped. Stateless and thread-safe.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * {@return the image in a file (PNG, JPEG, BMP: what ImageIO reads) as a new BGR or GRAY frame}
   *
   * @param path the file
   * @throws IOException when the file cannot be read or is no image
   */
  public static Frame read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    }
  }

  /**
   * Reads an image from a stream; {@code name} is used in messages only.
   *
   * @param in the image bytes; not closed
   * @param name a file name
   * @return the image as a new BGR or GRAY frame
   * @throws IOException when the file or stream cannot be read or written
   */
  public static Frame read(InputStream in, String name) throws IOException {
    BufferedImage img = ImageIO.read(in);
    if (img == null) {
      throw new UnsupportedPayloadException(name + " is not an image javax.imageio can read (PNG, JPEG, BMP, GIF)");
    }
    return fromImage(img);
  }

  /**
   * Copies a {@link BufferedImage} into a new BGR or GRAY frame.
   *
   * @param img the image
   * @return the new frame
   */
  public static Frame fromImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      return Frame.wrap(data.clone(), PixelFormat.GRAY, w, h);
    }
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      if (data.length == (long) w * h * 3) {
        return Frame.wrap(data.clone(), PixelFormat.BGR, w, h);
      }
    }
    Frame out = Frame.allocate(PixelFormat.BGR, w, h);
    byte[] px = out.array();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        int i = (y * w + x) * 3;
        px[i] = (byte) argb;
        px[i + 1] = (byte) (argb >> 8);
        px[i + 2] = (byte) (argb >> 16);
      }
    }
    return out;
  }

  /**
   * {@return a BufferedImage copy of a BGR, RGB or GRAY frame}
   *
   * @param f the frame
   */
  public static BufferedImage toImage(Frame f) {
    if (f.format().isPlanar()) {
      throw new IllegalArgumentException("cannot make an image of a planar " + f.format() + " frame");
    }
    boolean gray = f.format() == PixelFormat.GRAY;
    BufferedImage img = new BufferedImage(f.width(), f.height(),
        gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] src = f.toByteArray();
    if (f.format() == PixelFormat.RGB) {
      for (int i = 0; i < src.length; i += 3) {
        dst[i] = src[i + 2];
        dst[i + 1] = src[i + 1];
        dst[i + 2] = src[i];
      }
    } else {
      System.arraycopy(src, 0, dst, 0, src.length);
    }
    return img;
  }

  /**
   * Writes a frame as PNG (lossless).
   *
   * @param f the frame
   * @param path the file
   * @throws IOException when the file or stream cannot be read or written
   */
  public static void writePng(Frame f, Path path) throws IOException {
    if (!ImageIO.write(toImage(f), "png", path.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  /**
   * {@return true for file names ending in .png, .jpg or .jpeg (any case)}
   *
   * @param name a file name
   */
  public static boolean isImageName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

}
