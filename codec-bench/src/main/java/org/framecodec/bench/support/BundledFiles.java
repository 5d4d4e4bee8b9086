package org.framecodec.bench.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files the tool's defaults need, bundled in codec-bench's jar under {@code /framecodec/}
 * (with their licence and attribution files) and extracted on demand to a folder, so the tool
 * works from any directory and without the repository. The build takes them from the one copy in
 * codec-core's test resources (see codec-bench's pom).
 *
 * <p>A file is extracted once per folder; a file that needs another beside it (the Python peer
 * imports the BlazeFace reference) brings it along. {@link #shared()} extracts into one temporary
 * folder per process, deleted when the JVM exits. Thread-safe.
 */
public final class BundledFiles {
  /** The BlazeFace front model (128x128, dynamic batch); Apache-2.0, see models/blazeface/LICENSE. */
  public static final String BLAZEFACE_FRONT = "models/blazeface/face_detection_front_128x128_dynbatch.onnx";
  /** The astronaut portrait the face set is derived from; public domain, see faces/NOTICE.md. */
  public static final String ASTRONAUT = "faces/astronaut-512.png";
  /** The Flask inference peer; it imports {@code blazeface_reference.py}, extracted beside it. */
  public static final String PEER_SERVER = "python/peer_server.py";
  /** The source document's recipe, timed in Python. */
  public static final String RECIPE_TIMING = "python/recipe_timing.py";
  /** The 1080p photographs; LGPL-3.0 images, see frames/ATTRIBUTION.md. */
  public static final List<String> FRAMES_1080P = List.of("frames/evening-glow-1080p.png",
      "frames/kite-sky-1080p.png", "frames/moss-1080p.png");

  private static final String ROOT = "/framecodec/";
  private static final Map<String, List<String>> COMPANIONS =
      Map.of(PEER_SERVER, List.of("python/blazeface_reference.py"));
  private static BundledFiles shared;

  private final Path dir;

  /** Extracts into {@code dir}, which must exist. */
  public BundledFiles(Path dir) {
    this.dir = dir;
  }

  /** The process's instance: a temporary folder made at first use and deleted at exit. */
  public static synchronized BundledFiles shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("framecodec-bundled-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "framecodec-bundled-cleanup"));
        shared = new BundledFiles(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a folder for the bundled files", e);
      }
    }
    return shared;
  }

  /** Opens a bundled file as a stream; null when the jar lacks it. */
  public static InputStream open(String name) {
    return BundledFiles.class.getResourceAsStream(ROOT + name);
  }

  /**
   * The bundled file {@code name} (one of the constants) as a file in this folder. {@code option}
   * is the command-line option that sets the file instead; the error names it.
   *
   * @throws IOException when the jar lacks the file (a build without the resources) or it
   *     cannot be written
   */
  public synchronized Path file(String name, String option) throws IOException {
    Path target = extract(name, option);
    for (String companion : COMPANIONS.getOrDefault(name, List.of())) {
      extract(companion, option);
    }
    return target;
  }

  private Path extract(String name, String option) throws IOException {
    Path target = dir.resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try (InputStream in = open(name)) {
      if (in == null) {
        throw new IOException("the default for " + option + " (" + name + ") is not bundled in this build; pass "
            + option);
      }
      Files.createDirectories(target.getParent());
      // Write aside and move, so a reader never sees half a file.
      Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }
    return target;
  }

  /**
   * The file {@code given} by an option, or the bundled {@code name} when it is null. A given
   * file that does not exist is an error naming the option.
   */
  public static Path orBundled(Path given, String name, String option) throws IOException {
    if (given == null) {
      return shared().file(name, option);
    }
    if (!Files.isRegularFile(given)) {
      throw new IOException(option + " file " + given + " does not exist (from " + Path.of("").toAbsolutePath()
          + ")");
    }
    return given;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // At exit there is nobody to tell; the folder is in the temporary directory.
    }
  }
}
