package org.framecodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.PixelFormat;

/**
 * The one source of test data for every test of codec-core: the 1080p photographs
 * (src/test/resources/corpus), the astronaut face (src/test/resources/org/framecodec/detect), the
 * BlazeFace models (src/test/resources/models/blazeface), and seeded synthetic frames and JPEGs.
 * Everything here is in the repository (see the NOTICE and ATTRIBUTION files beside it), so a
 * missing file is an error, never a reason to skip. Resources are found on the test class path, so
 * tests work from any working directory.
 */
public final class CorpusFrames {
  public static final List<String> PHOTOS =
      List.of("evening-glow-1080p.png", "kite-sky-1080p.png", "moss-1080p.png");
  /** The front-camera BlazeFace model, 128x128 input, dynamic batch. */
  public static final String FRONT_MODEL = "face_detection_front_128x128_dynbatch.onnx";
  /** The back-camera BlazeFace model, 256x256 input, dynamic batch. */
  public static final String BACK_MODEL = "face_detection_back_256x256_dynbatch.onnx";
  private static final Map<String, Frame> CACHE = new ConcurrentHashMap<>();

  private CorpusFrames() {}

  /** A photograph as a tightly packed BGR frame; callers must not modify it (it is cached). */
  public static Frame photo(String name) {
    return CACHE.computeIfAbsent("/corpus/" + name, CorpusFrames::readImage);
  }

  /** The astronaut portrait (one face), 512x512 BGR; callers must not modify it (it is cached). */
  public static Frame astronaut() {
    return CACHE.computeIfAbsent("/org/framecodec/detect/astronaut-512.png", CorpusFrames::readImage);
  }

  /** The astronaut portrait's PNG file. */
  public static Path astronautPng() {
    return resource("/org/framecodec/detect/astronaut-512.png");
  }

  /** {@code models/blazeface/<name>}. */
  public static Path model(String name) {
    return resource("/models/blazeface/" + name);
  }

  /** The front BlazeFace model (128x128), the one most tests and the docs use. */
  public static Path frontModel() {
    return model(FRONT_MODEL);
  }

  /** The back BlazeFace model (256x256). */
  public static Path backModel() {
    return model(BACK_MODEL);
  }

  /** A test resource as a file: it lives in target/test-classes, copied there by the build. */
  public static Path resource(String absoluteName) {
    URL url = CorpusFrames.class.getResource(absoluteName);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + absoluteName
          + " (it is in the repository under src/test/resources; is the build incomplete?)");
    }
    try {
      Path p = Path.of(url.toURI());
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("test resource " + absoluteName + " is not a file: " + p);
      }
      return p;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("test resource " + absoluteName + " has no file path: " + url, e);
    }
  }

  private static Frame readImage(String absoluteName) {
    try (InputStream in = CorpusFrames.class.getResourceAsStream(absoluteName)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + absoluteName);
      }
      return ImageFiles.read(in, absoluteName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /**
   * The payloads the client/server tests send: the astronaut portrait (one face) first, then the
   * {@link #PHOTOS}, encoded by the TurboJPEG backend as {@code options} says.
   */
  public static List<EncodedFrame> faceThenPhotos(EncodeOptions options) {
    List<Frame> raw = new ArrayList<>();
    raw.add(astronaut());
    for (String name : PHOTOS) {
      raw.add(photo(name));
    }
    List<EncodedFrame> out = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (Frame f : raw) {
        out.add(codec.encodeFrame(f, options));
      }
    }
    return out;
  }

  /**
   * A small real JPEG for framing tests, made by the TurboJPEG backend from a fixed pattern: colour
   * ({@code cv2-yuv} q80) or grayscale ({@code gray} q80), of the given size. Deterministic.
   */
  public static byte[] jpeg(int width, int height, boolean colour) {
    PixelFormat format = colour ? PixelFormat.BGR : PixelFormat.GRAY;
    Frame frame = Frame.allocate(format, width, height);
    byte[] px = frame.array();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7 + i / (width * format.bytesPerPixel()) * 3);
    }
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      return codec.encode(frame, colour ? EncodeOptions.cv2Yuv(80) : EncodeOptions.gray(80));
    }
  }
}
