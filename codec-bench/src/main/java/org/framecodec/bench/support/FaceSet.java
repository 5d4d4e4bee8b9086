package org.framecodec.bench.support;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;

/**
 * The face set of the sweep and the GPU agreement check, derived from one portrait (by default
 * the project's astronaut-512.png, the only face image it ships): the image, its mirror, two
 * 384x384 crops that move the face against the 8x8 JPEG grid and the detector's anchors, a tight
 * 256x256 crop (a larger face), the image downscaled to half (JPEG blocks cover more of the face)
 * and upscaled to 1.5x (less), a darkened copy (low light, where JPEG drops detail first), and a
 * composition of two crops (one mirrored), i.e. two faces in one frame. Stateless.
 */
public final class FaceSet {
  /** One image of the face set, named for how it was derived. */
  public record FaceImage(String name, Frame frame) {}

  private FaceSet() {}

  /** The nine images derived from {@code portrait}; all BGR, new frames except the first. */
  public static List<FaceImage> of(Frame portrait) {
    BufferedImage src = ImageFiles.toImage(portrait);
    int w = src.getWidth();
    int h = src.getHeight();
    List<FaceImage> set = new ArrayList<>();
    set.add(new FaceImage("original", portrait));
    BufferedImage mirror = mirrored(src);
    set.add(new FaceImage("mirrored", ImageFiles.fromImage(mirror)));
    int c = Math.min(384, Math.min(w, h));
    set.add(new FaceImage("crop-top-left", ImageFiles.fromImage(copy(src.getSubimage(0, 0, c, c)))));
    set.add(new FaceImage("crop-shifted", ImageFiles.fromImage(copy(src.getSubimage(w - c, (h - c) / 2, c, c)))));
    int t = Math.min(256, Math.min(w, h));
    set.add(new FaceImage("crop-tight", ImageFiles.fromImage(copy(src.getSubimage((w - t) / 2 - 32 < 0 ? 0
        : (w - t) / 2 - 32, 0, t, t)))));
    set.add(new FaceImage("down-0.5x", ImageFiles.fromImage(scaled(src, w / 2, h / 2))));
    set.add(new FaceImage("up-1.5x", ImageFiles.fromImage(scaled(src, w * 3 / 2, h * 3 / 2))));
    set.add(new FaceImage("dark", darkened(portrait, 0.45)));
    BufferedImage pair = new BufferedImage(2 * c, c, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = pair.createGraphics();
    g.drawImage(src.getSubimage(0, 0, c, c), 0, 0, null);
    g.drawImage(mirror.getSubimage(w - c, 0, c, c), c, 0, null);
    g.dispose();
    set.add(new FaceImage("two-faces", ImageFiles.fromImage(pair)));
    return set;
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
