package org.framecodec.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.framecodec.NativeCodecException;

/**
 * Extracts the JNI shim and the libjpeg-turbo it links to from the jar into a private temporary
 * folder and loads them, once per class loader.
 *
 * <p>The shim is linked with an {@code $ORIGIN} rpath, so the dynamic loader finds
 * {@code libturbojpeg.so.0} beside it and consumers need no system package. The folder is
 * deleted at JVM exit. A load failure is remembered and rethrown with its cause on every later
 * attempt. Thread-safe.
 */
public final class NativeLibrary {
  private static final String[] FILES = {"libturbojpeg.so.0", "libframecodec_turbojpeg.so"};
  private static final Object LOCK = new Object();
  private static volatile boolean loaded;
  private static Throwable failure;

  private NativeLibrary() {}

  /** The platform folder name in the jar, e.g. {@code linux-x86_64}. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.contains("linux") ? "linux" : os.replaceAll("\\W", "");
    String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    return osName + "-" + archName;
  }

  /** Loads the shim if it is not loaded yet; throws {@link NativeCodecException} if it cannot be. */
  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (LOCK) {
      if (loaded) {
        return;
      }
      if (failure != null) {
        throw new NativeCodecException("the TurboJPEG shim failed to load earlier: " + failure.getMessage(), failure);
      }
      try {
        load();
        loaded = true;
      } catch (IOException | LinkageError | RuntimeException e) {
        failure = e;
        throw new NativeCodecException("cannot load the TurboJPEG shim for " + platform() + ": " + e.getMessage(), e);
      }
    }
  }

  private static void load() throws IOException {
    String folder = "/org/framecodec/natives/" + platform() + "/";
    Path dir = Files.createTempDirectory("framecodec-natives-");
    dir.toFile().deleteOnExit();
    for (String name : FILES) {
      try (InputStream in = NativeLibrary.class.getResourceAsStream(folder + name)) {
        if (in == null) {
          throw new UnsatisfiedLinkError("the jar has no " + folder + name
              + "; this build of FrameCodec does not support " + platform());
        }
        Path target = dir.resolve(name);
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        target.toFile().deleteOnExit();
      }
    }
    System.load(dir.resolve("libframecodec_turbojpeg.so").toAbsolutePath().toString());
    TurboJpegNative.checkConstants();
  }
}
