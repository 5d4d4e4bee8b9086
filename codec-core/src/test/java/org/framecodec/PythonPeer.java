package org.framecodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python with Debian's python3-opencv and numpy: the recipe peer
 * (src/test/python/peer.py) or an inline script. The interpreter is {@code /usr/bin/python3}
 * (the {@code python3} on PATH may be a pyenv without cv2) unless {@code FRAMECODEC_PYTHON}
 * names another. The README's test command installs python3-opencv, so a missing peer fails
 * the test with the install command rather than skipping it.
 */
public final class PythonPeer {
  private PythonPeer() {}

  public static String python() {
    String env = System.getenv("FRAMECODEC_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  /** Runs {@code peer.py} with the given arguments; returns its standard output. */
  public static String recipe(String... args) {
    Path script = Paths.get("src/test/python/peer.py").toAbsolutePath();
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("peer script not found at " + script);
    }
    List<String> cmd = new ArrayList<>(List.of(python(), script.toString()));
    cmd.addAll(List.of(args));
    return exec(cmd);
  }

  /** Runs {@code python -c script args...}; returns its standard output. */
  public static String inline(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of(python(), "-c", script));
    cmd.addAll(List.of(args));
    return exec(cmd);
  }

  private static String exec(List<String> cmd) {
    try {
      Path err = Files.createTempFile("python-peer", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("python did not finish in 120 s: " + cmd.get(1));
        }
        if (p.exitValue() != 0) {
          throw new AssertionError("python failed (exit " + p.exitValue() + "):\n" + Files.readString(err)
              + "\nInstall the peer with: apt-get install -y python3-opencv python3-numpy");
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + python() + "; install python3-opencv", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
