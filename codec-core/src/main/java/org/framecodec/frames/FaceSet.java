package org.framecodec.frames;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Small evaluation scenes built from one portrait, for measuring how a codec setting or a
 * decode path changes what a face detector finds: the nine-image set the {@code framecodec sweep}
 * scores (the portrait, its mirror, crops, a half-size and a 1.5x copy, a darkened copy, and two
 * faces side by side), and stream-sized frames with the portrait composited onto a background.
 *
 * <p>Everything is derived from the caller's images with {@code java.awt} (module
 * {@code java.desktop}), so no face data beyond the one portrait is needed, and nothing is
 * downloaded. Stateless and thread-safe; every call returns new BGR frames the caller owns.
 */
public final class FaceSet {
  private FaceSet() {}

  /**
   * One scene: a short name for reports and the frame.
   *
   * @param name how the scene was derived, for reports
   * @param frame the scene's pixels
   */
  public record Scene(String name, Frame frame) {
    /**
     * Checks that neither part is null.
     *
     * @param name how the scene was derived
     * @param frame the scene's pixels
     */
    public Scene {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * {@return the nine scenes derived from {@code portrait}, in a fixed order}
   *
   * @param portrait a BGR, RGB or GRAY frame with one face
   */
  public static List<Scene> of(Frame portrait) {
    BufferedImage src = ImageFiles.toImage(portrait);
    int w = src.getWidth();
    int h = src.getHeight();
    List<Scene> set = new ArrayList<>();
    set.add(new Scene("original", ImageFiles.fromImage(src)));
    BufferedImage mirror = mirrored(src);
    set.add(new Scene("mirrored", ImageFiles.fromImage(mirror)));
    int c = Math.min(384, Math.min(w, h));
    set.add(new Scene("crop-top-left", ImageFiles.fromImage(copy(src.getSubimage(0, 0, c, c)))));
    set.add(new Scene("crop-shifted", ImageFiles.fromImage(copy(src.getSubimage(w - c, (h - c) / 2, c, c)))));
    int t = Math.min(256, Math.min(w, h));
    set.add(new Scene("crop-tight", ImageFiles.fromImage(copy(src.getSubimage(Math.max(0, (w - t) / 2 - 32), 0, t, t)))));
    set.add(new Scene("down-0.5x", ImageFiles.fromImage(scaled(src, w / 2, h / 2))));
    set.add(new Scene("up-1.5x", ImageFiles.fromImage(scaled(src, w * 3 / 2, h * 3 / 2))));
    set.add(new Scene("dark", darkened(ImageFiles.fromImage(src), 0.45)));
    BufferedImage pair = new BufferedImage(2 * c, c, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = pair.createGraphics();
    g.drawImage(src.getSubimage(0, 0, c, c), 0, 0, null);
    g.drawImage(mirror.getSubimage(w - c, 0, c, c), c, 0, null);
    g.dispose();
    set.add(new Scene("two-faces", ImageFiles.fromImage(pair)));
    return set;
  }

  /**
   * {@code background} with {@code portrait} scaled (bilinear) to {@code size x size} and drawn
   * with its top-left corner at ({@code x}, {@code y}); parts outside the background are cut off.
   *
   * @param background the scene
   * @param portrait the face image
   * @param size the side of the square the portrait is scaled to
   * @param x left edge of the portrait in the scene
   * @param y top edge of the portrait in the scene
   * @return a new BGR frame
   */
  public static Frame composite(Frame background, Frame portrait, int size, int x, int y) {
    if (size <= 0) {
      throw new IllegalArgumentException("portrait size must be positive, got " + size);
    }
    BufferedImage canvas = ImageFiles.toImage(background);
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(ImageFiles.toImage(portrait), x, y, size, size, null);
    g.dispose();
    return ImageFiles.fromImage(canvas);
  }

  private static BufferedImage copy(BufferedImage sub) {
    BufferedImage out = new BufferedImage(sub.getWidth(), sub.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(sub, 0, 0, null);
    g.dispose();
    return out;
  }

  private static BufferedImage mirrored(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(src, src.getWidth(), 0, -src.getWidth(), src.getHeight(), null);
    g.dispose();
    return out;
  }

  private static BufferedImage scaled(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static Frame darkened(Frame f, double gain) {
    byte[] px = f.toByteArray();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) Math.round((px[i] & 0xFF) * gain);
    }
    return Frame.wrap(px, f.format(), f.width(), f.height());
  }
}
