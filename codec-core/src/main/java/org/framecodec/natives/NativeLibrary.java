package org.framecodec.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.framecodec.NativeCodecException;

/**
 * Loads a JNI library that the jar carries, by name, for the platform the JVM runs on.
 *
 * <p>A library {@code NAME} lives in the jar at {@code /org/framecodec/natives/PLATFORM/libNAME.so}
 * (PLATFORM as {@link #platform()} names it, e.g. {@code linux-x86_64}), with the shared libraries
 * it links to beside it. {@link #load(String, String...)} extracts all of them into one private
 * temporary folder and loads the library; it is linked with an {@code $ORIGIN} rpath, so the
 * dynamic loader finds its dependencies in that folder and consumers need no system package.
 *
 * <p>Each JVM's folder is named after its process id and deleted at exit. A JVM that is killed
 * cannot delete its own, so every first load also removes the folders of processes that no longer
 * run (never those of live ones).
 *
 * <p>Each library is loaded once per class loader. A load failure is remembered and rethrown,
 * with its cause, on every later attempt. Internal to FrameCodec's codecs. Thread-safe.
 */
public final class NativeLibrary {
  static final String FOLDER_PREFIX = "framecodec-natives-pid";
  private static final Object LOCK = new Object();
  /** Loaded libraries, and the failure of those that could not be loaded. Guarded by LOCK. */
  private static final Map<String, Throwable> LOADED = new HashMap<>();
  private static final Throwable OK = new Throwable("loaded");
  private static Path folder;

  private NativeLibrary() {}

  /**
   * {@return the platform folder name in the jar, e.g. {@code linux-x86_64} or {@code
   * linux-aarch64}}
   */
  public static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.contains("linux") ? "linux" : os.replaceAll("\\W", "");
    String archName = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch;
    };
    return osName + "-" + archName;
  }

  /**
   * Loads {@code libNAME.so} from the jar's folder for this platform, after extracting the
   * {@code dependencies} (file names, such as {@code libturbojpeg.so.0}) beside it. Returns at
   * once when it is already loaded.
   *
   * @param name the name to parse
   * @param dependencies file names of libraries to extract beside it first
   * @throws NativeCodecException when the jar has no such library for this platform, or it
   *     cannot be extracted or loaded; the message names the platform and the cause
   */
  public static void load(String name, String... dependencies) {
    synchronized (LOCK) {
      Throwable earlier = LOADED.get(name);
      if (earlier == OK) {
        return;
      }
      if (earlier != null) {
        throw new NativeCodecException("lib" + name + ".so failed to load earlier: "
            + earlier.getMessage(), earlier);
      }
      try {
        Path dir = folder();
        for (String dependency : dependencies) {
          extract(dependency, dir);
        }
        Path library = extract("lib" + name + ".so", dir);
        System.load(library.toAbsolutePath().toString());
        LOADED.put(name, OK);
      } catch (IOException | LinkageError | RuntimeException e) {
        LOADED.put(name, e);
        throw new NativeCodecException("cannot load lib" + name + ".so for " + platform() + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** This JVM's extraction folder, made on first use after clearing dead processes' folders. */
  private static Path folder() throws IOException {
    if (folder == null) {
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      removeStaleFolders(tmp);
      folder = Files.createTempDirectory(tmp, FOLDER_PREFIX + ProcessHandle.current().pid() + "-");
      folder.toFile().deleteOnExit();
    }
    return folder;
  }

  private static Path extract(String file, Path dir) throws IOException {
    String resource = "/org/framecodec/natives/" + platform() + "/" + file;
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UnsatisfiedLinkError("the jar has no " + resource + "; this build of FrameCodec"
            + " does not support " + platform() + " (the opencv backend runs wherever OpenCV does)");
      }
      Path target = dir.resolve(file);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      target.toFile().deleteOnExit();
      return target;
    }
  }

  /**
   * Deletes {@code framecodec-natives-pidN-*} folders in {@code tmp} whose process N is gone.
   * Best effort: a folder that cannot be read or deleted is left alone. Returns how many went.
   */
  static int removeStaleFolders(Path tmp) {
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, FOLDER_PREFIX + "*")) {
      for (Path dir : dirs) {
        long pid = ownerPid(dir.getFileName().toString());
        if (pid > 0 && ProcessHandle.of(pid).isEmpty() && deleteTree(dir)) {
          removed++;
        }
      }
    } catch (IOException | SecurityException e) {
      // Not worth failing a load over: the folders are only litter.
    }
    return removed;
  }

  /** The pid in a folder name {@code framecodec-natives-pidN-...}, or -1. */
  static long ownerPid(String name) {
    int start = FOLDER_PREFIX.length();
    int end = name.indexOf('-', start);
    if (!name.startsWith(FOLDER_PREFIX) || end <= start) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(start, end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
