package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.natives.NativeLibrary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every payload and every decoded frame, on both backends, is byte for byte what the linux-x86_64
 * build produced: the SHA-256 of each is in {@code platform-vectors.txt} beside this class. On
 * x86_64 this guards the output against accidental change; run on linux-aarch64 (under qemu in
 * CI, codec-bench/bin/test-aarch64.sh) it shows that the NEON build of libjpeg-turbo, our C
 * colour conversion compiled for aarch64, and OpenCV's arm64 natives write the same bytes as the
 * SSE/AVX2 ones. libjpeg-turbo's integer DCTs, upsampling and colour conversion are exact in every
 * SIMD flavour (only its float DCT is not, and no FrameCodec path asks for it).
 *
 * <p>The reference is tied to the libjpeg-turbo the jar carries (Debian's 2.1.5) and to the
 * OpenCV natives (bytedeco 4.13.0-1.5.13, libjpeg-turbo 3.1.2 inside). After a deliberate change
 * of either, regenerate it on linux-x86_64 with
 * {@code -Dframecodec.vectors.write=/tmp/platform-vectors.txt} and copy the file over.
 */
class CrossPlatformVectorsTest {
  private static final String REFERENCE = "platform-vectors.txt";
  private static final int[] QUALITIES = {20, 50, 80, 95};

  /** A frame of the matrix with the name it has in the reference. */
  private record Named(String name, Frame frame) {}

  private static List<Named> frames() {
    return List.of(
        new Named("evening-glow-1080p", CorpusFrames.photo("evening-glow-1080p.png")),
        // Odd sizes end in partial MCUs and odd chroma; noise is the worst case for every stage.
        new Named("noise-641x363", CorpusFrames.noise(PixelFormat.BGR, 641, 363, 42)),
        new Named("gradient-333x177", CorpusFrames.gradient(333, 177, 7)));
  }

  private static List<EncodeOptions> encodings() {
    List<EncodeOptions> out = new ArrayList<>();
    for (int q : QUALITIES) {
      out.add(EncodeOptions.cv2Yuv(q));
      out.add(EncodeOptions.ycbcr(q, Subsampling.S420));
    }
    out.add(EncodeOptions.ycbcr(80, Subsampling.S422));
    out.add(EncodeOptions.ycbcr(80, Subsampling.S444));
    out.add(EncodeOptions.of(JpegMode.CV2_YUV, 80, Subsampling.S444));
    out.add(EncodeOptions.gray(80));
    return out;
  }

  /** The output formats each payload is decoded to, per mode and backend. */
  private static List<PixelFormat> decodings(CodecBackend backend, EncodeOptions o) {
    List<PixelFormat> out = new ArrayList<>(List.of(PixelFormat.BGR, PixelFormat.RGB));
    if (o.mode() != JpegMode.CV2_YUV) {
      out.add(PixelFormat.GRAY);
    }
    if (backend == CodecBackend.TURBOJPEG && o.mode() == JpegMode.YCBCR
        && o.subsampling() == Subsampling.S420) {
      out.add(PixelFormat.I420);
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void payloadsAndDecodedFramesMatchTheX86Reference(CodecBackend backend) throws IOException {
    Map<String, String> computed = new LinkedHashMap<>();
    try (JpegCodec codec = JpegCodec.open(backend)) {
      for (Named n : frames()) {
        for (EncodeOptions o : encodings()) {
          byte[] jpeg = codec.encode(n.frame(), o);
          String key = backend + " " + n.name() + " " + o.toString().replace(' ', '-');
          computed.put(key + " encode", describe(jpeg));
          for (PixelFormat f : decodings(backend, o)) {
            computed.put(key + " decode-" + f, describe(codec.decode(jpeg, 0, jpeg.length, o.mode(), f)
                .toByteArray()));
          }
        }
        byte[] rgb = codec.encode(swapRedAndBlue(n.frame()), EncodeOptions.cv2Yuv(80));
        computed.put(backend + " " + n.name() + "-as-rgb cv2-yuv-q80-420 encode", describe(rgb));
      }
      if (backend == CodecBackend.TURBOJPEG) {
        // Straight from I420 and NV12 planes (the opencv backend takes interleaved frames only).
        for (PixelFormat planar : List.of(PixelFormat.I420, PixelFormat.NV12)) {
          Frame f = planarNoise(planar, 333, 177, 11);
          for (EncodeOptions o : List.of(EncodeOptions.ycbcr(80, Subsampling.S420), EncodeOptions.gray(80))) {
            computed.put(backend + " noise-333x177-" + planar + " " + o.toString().replace(' ', '-')
                + " encode", describe(codec.encode(f, o)));
          }
        }
      }
    }
    String prefix = backend + " ";
    Map<String, String> expected = new LinkedHashMap<>();
    reference().forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        expected.put(k, v);
      }
    });
    write(computed);
    List<String> differences = new ArrayList<>();
    computed.forEach((k, v) -> {
      if (!v.equals(expected.get(k))) {
        differences.add(k + ": " + v + ", x86_64 reference " + expected.getOrDefault(k, "(none)"));
      }
    });
    expected.keySet().stream().filter(k -> !computed.containsKey(k))
        .forEach(k -> differences.add(k + ": not computed here"));
    assertTrue(differences.isEmpty(), differences.size() + " of " + computed.size() + " outputs on "
        + NativeLibrary.platform() + " differ from the linux-x86_64 reference:\n  "
        + String.join("\n  ", differences));
    assertEquals(expected.size(), computed.size());
  }

  /** {@code LENGTH SHA256}. */
  private static String describe(byte[] bytes) {
    try {
      return bytes.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static Frame swapRedAndBlue(Frame bgr) {
    byte[] px = bgr.toByteArray();
    for (int i = 0; i < px.length; i += 3) {
      byte b = px[i];
      px[i] = px[i + 2];
      px[i + 2] = b;
    }
    return Frame.wrap(px, PixelFormat.RGB, bgr.width(), bgr.height());
  }

  private static Frame planarNoise(PixelFormat format, int width, int height, long seed) {
    Frame f = Frame.allocate(format, width, height);
    new Random(seed).nextBytes(f.array());
    return f;
  }

  /** Case name to {@code LENGTH SHA256}, from the committed reference. */
  private static Map<String, String> reference() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = CrossPlatformVectorsTest.class.getResourceAsStream(REFERENCE)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + REFERENCE);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int cut = line.lastIndexOf(' ', line.lastIndexOf(' ') - 1);
        out.put(line.substring(0, cut), line.substring(cut + 1));
      }
    }
    return out;
  }

  /** Appends the computed lines to the file {@code framecodec.vectors.write} names, if any. */
  private static void write(Map<String, String> computed) throws IOException {
    String target = System.getProperty("framecodec.vectors.write");
    if (target == null || target.isBlank()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    computed.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
    Path path = Path.of(target);
    synchronized (CrossPlatformVectorsTest.class) {
      Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }
}
