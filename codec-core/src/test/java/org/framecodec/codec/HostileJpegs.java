package org.framecodec.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Hostile JPEGs for the attack tests, made on the fly by real encoders (libjpeg-turbo through our
 * shim, and Debian's {@code cjpeg} for a scan script), so nothing binary is committed and each
 * file's making is the code below. Public for the transport tests; cached per JVM.
 *
 * <ul>
 *   <li>{@link #truncatedBomb()}: the 629-byte payload of issue 14: a 6320x6320 gray JPEG (just
 *       under the 40-megapixel limit) cut inside its scan and closed with an EOI marker.</li>
 *   <li>{@link #bigGray()}: a valid 6320x6320 gray JPEG (flat grey), the frame of the issue's
 *       64-frame batch.</li>
 *   <li>{@link #manyScans(int)}: a progressive 320x240 gray JPEG whose last scan is repeated until
 *       it has that many scans (2,080 in the issue).</li>
 *   <li>{@link #progressive(Frame)}: a standard progressive JPEG (6 scans gray, 10 colour).</li>
 *   <li>{@link #scriptedScans1080p(int)}: a valid progression of that many scans of a 1080p gray
 *       photograph, by {@code cjpeg -scans}.</li>
 * </ul>
 */
public final class HostileJpegs {
  /** TurboJPEG's TJFLAG_PROGRESSIVE. */
  private static final int FLAG_PROGRESSIVE = 16384;
  public static final int BOMB_SIDE = 6320;
  private static final Map<String, byte[]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private HostileJpegs() {}

  /** The truncated 6320x6320 gray JPEG of exactly 629 bytes, ending in FF D9. */
  public static byte[] truncatedBomb() {
    return CACHE.computeIfAbsent("bomb", k -> {
      byte[] full = bigGray();
      byte[] cut = Arrays.copyOf(full, 629);
      cut[627] = (byte) 0xFF;
      cut[628] = (byte) 0xD9;
      return cut;
    }).clone();
  }

  /** A valid 6320x6320 flat grey JPEG, baseline, quality 80 (about 470 KB). */
  public static byte[] bigGray() {
    return CACHE.computeIfAbsent("bigGray", k -> {
      Frame f = Frame.allocate(PixelFormat.GRAY, BOMB_SIDE, BOMB_SIDE);
      Arrays.fill(f.array(), (byte) 128);
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        return codec.encode(f, EncodeOptions.gray(80));
      }
    }).clone();
  }

  /** A standard libjpeg progressive JPEG of the frame (GRAY: 6 scans; BGR: 10), quality 80. */
  public static byte[] progressive(Frame frame) {
    TurboJpegNative.ensureLoaded();
    boolean gray = frame.format() == PixelFormat.GRAY;
    int samp = gray ? TurboJpegNative.SAMP_GRAY : TurboJpegNative.SAMP_420;
    long h = TurboJpegNative.create();
    try {
      byte[] out = new byte[(int) TurboJpegNative.bufSize(frame.width(), frame.height(), samp)];
      int n = TurboJpegNative.compress(h, frame.array(), true, frame.offset(), frame.width(),
          frame.rowStride(), frame.height(), gray ? TurboJpegNative.PF_GRAY : TurboJpegNative.PF_BGR,
          TurboJpegNative.COLOR_NONE, samp, 80, FLAG_PROGRESSIVE | TurboJpegNative.FLAG_ACCURATEDCT,
          out, true, 0);
      return Arrays.copyOf(out, n);
    } finally {
      TurboJpegNative.destroy(h);
    }
  }

  /** A 320x240 progressive gray JPEG with its last scan repeated up to {@code scans} scans. */
  public static byte[] manyScans(int scans) {
    byte[] base = progressive(CorpusFrames.noise(PixelFormat.GRAY, 320, 240, 14));
    int lastSos = -1;
    int count = 0;
    for (int i = 2; i + 1 < base.length; i++) {
      if ((base[i] & 0xFF) == 0xFF && (base[i + 1] & 0xFF) == 0xDA) {
        lastSos = i;
        count++;
      }
    }
    int eoi = base.length - 2;
    if (lastSos < 0 || scans < count || (base[eoi] & 0xFF) != 0xFF || (base[eoi + 1] & 0xFF) != 0xD9) {
      throw new IllegalStateException("unexpected progressive JPEG: " + count + " scans");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(base, 0, eoi);
    for (int i = count; i < scans; i++) {
      out.write(base, lastSos, eoi - lastSos);
    }
    out.write(base, eoi, 2);
    return out.toByteArray();
  }

  /**
   * A valid {@code scans}-scan progression (12 to 100) of the moss photograph in gray, made by
   * {@code cjpeg -scans} (Debian's libjpeg-turbo-progs): DC in 11 successive-approximation
   * steps, then single AC coefficients.
   */
  public static byte[] scriptedScans1080p(int scans) {
    if (scans < 12 || scans > 74) {
      throw new IllegalArgumentException("12..74 scans, got " + scans);
    }
    return CACHE.computeIfAbsent("scripted" + scans, k -> {
      try {
        Path dir = Files.createTempDirectory("hostile-jpegs");
        Frame bgr = CorpusFrames.photo("moss-1080p.png");
        StringBuilder script = new StringBuilder("0: 0 0 0 10;\n");
        for (int al = 9; al >= 0; al--) {
          script.append("0: 0 0 ").append(al + 1).append(' ').append(al).append(";\n");
        }
        int acScans = scans - 11;
        for (int i = 0; i < acScans; i++) {
          int from = 1 + i;
          int to = i == acScans - 1 ? 63 : from;
          script.append("0: ").append(from).append(' ').append(to).append(" 0 0;\n");
        }
        Path scriptFile = dir.resolve("scans.txt");
        Files.writeString(scriptFile, script, StandardCharsets.US_ASCII);
        Path pgm = dir.resolve("in.pgm");
        Files.write(pgm, pgm(bgr));
        Path out = dir.resolve("out.jpg");
        Process p = new ProcessBuilder("cjpeg", "-grayscale", "-scans", scriptFile.toString(),
            "-outfile", out.toString(), pgm.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("cjpeg failed (install libjpeg-turbo-progs): " + log);
        }
        byte[] jpeg = Files.readAllBytes(out);
        for (Path f : new Path[] {scriptFile, pgm, out}) {
          Files.delete(f);
        }
        Files.delete(dir);
        return jpeg;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }).clone();
  }

  /** A binary PGM of the frame's luma (BT.601, as cjpeg -grayscale would compute it). */
  private static byte[] pgm(Frame bgr) {
    int w = bgr.width();
    int h = bgr.height();
    byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(header, header.length + w * h);
    byte[] px = bgr.array();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = bgr.offset() + y * bgr.rowStride() + 3 * x;
        int luma = (114 * (px[i] & 0xFF) + 587 * (px[i + 1] & 0xFF) + 299 * (px[i + 2] & 0xFF) + 500) / 1000;
        out[header.length + y * w + x] = (byte) luma;
      }
    }
    return out;
  }

  /** Every hostile payload with a name, for tests that feed them all to something. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("truncated-bomb-629B-6320x6320", truncatedBomb());
    byte[] photo = photoJpeg();
    m.put("cut-in-half-no-eoi", Arrays.copyOf(photo, photo.length / 2));
    byte[] cutWithEoi = Arrays.copyOf(photo, photo.length / 2 + 2);
    cutWithEoi[cutWithEoi.length - 2] = (byte) 0xFF;
    cutWithEoi[cutWithEoi.length - 1] = (byte) 0xD9;
    m.put("cut-in-half-with-eoi", cutWithEoi);
    byte[] stray = photo.clone();
    stray[photo.length / 2] = (byte) 0xFF;
    stray[photo.length / 2 + 1] = (byte) 0xD5; // a restart marker where none is expected
    m.put("stray-restart-marker", stray);
    byte[] garbage = photo.clone();
    for (int i = photo.length / 3; i < photo.length / 3 + 64; i++) {
      garbage[i] = (byte) 0xFF; // a run of fill bytes inside the scan
    }
    m.put("fill-run-in-scan", garbage);
    byte[] noEoi = Arrays.copyOf(photo, photo.length - 2);
    m.put("complete-scan-without-eoi", noEoi);
    m.put("scans-2080", manyScans(2080));
    m.put("scans-496", manyScans(496));
    m.put("progressive-6320x6320-gray", progressive(flatGray(BOMB_SIDE)));
    return m;
  }

  /** A 1080p photograph as a baseline ycbcr JPEG, the victim of the cuts above. */
  public static byte[] photoJpeg() {
    return CACHE.computeIfAbsent("photo", k -> {
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        return codec.encode(CorpusFrames.photo("evening-glow-1080p.png"),
            EncodeOptions.ycbcr(80, Subsampling.S420));
      }
    }).clone();
  }

  private static Frame flatGray(int side) {
    Frame f = Frame.allocate(PixelFormat.GRAY, side, side);
    Arrays.fill(f.array(), (byte) 100);
    return f;
  }
}
