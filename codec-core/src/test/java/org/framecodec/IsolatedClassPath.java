package org.framecodec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A class loader over the main classes and the test's dependencies, less the jars whose path
 * holds any of the given words: how a test shows that a user without an optional dependency
 * (Micrometer, the Prometheus registry) can still load and run a package. Its parent is the
 * platform loader, so nothing of the test's own class path leaks in.
 */
public final class IsolatedClassPath {
  private IsolatedClassPath() {}

  /** The main classes (target/classes) and every dependency jar whose path holds none of {@code left}. */
  public static URLClassLoader without(String... left) {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<URL> urls = new ArrayList<>();
    try {
      for (String entry : cp.split(File.pathSeparator)) {
        String lower = entry.toLowerCase(Locale.ROOT);
        boolean dropped = lower.endsWith("test-classes") || lower.endsWith("test-classes" + File.separator);
        for (String word : left) {
          dropped |= lower.contains(word);
        }
        if (!dropped && !entry.isBlank()) {
          urls.add(Path.of(entry).toUri().toURL());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new URLClassLoader("isolated", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  /** The names of the main classes of one package, nested ones included. */
  public static List<String> classesOf(String packageName) {
    Path dir = Path.of(System.getProperty("basedir", "."), "target", "classes", packageName.replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
          .map(n -> packageName + "." + n.substring(0, n.length() - ".class".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
