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
 * Runs the Python peer (src/test/python/peer.py) with Debian's python3-opencv. The interpreter
 * is {@code /usr/bin/python3} unless {@code FRAMECODEC_PYTHON} names another; the README's test
 * command installs python3-opencv, so a missing peer fails the test rather than skipping it.
 */
public final class PythonPeer {
  private PythonPeer() {}

  public static String python() {
    String env = System.getenv("FRAMECODEC_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  public static Path script() {
    Path p = Paths.get("src/test/python/peer.py").toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("peer script not found at " + p);
    }
    return p;
  }

  /** Runs the peer with the given arguments; returns its standard output, throws on failure. */
  public static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(python());
    cmd.add(script().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("python peer timed out: " + cmd);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("python peer failed (exit " + p.exitValue() + "): " + cmd
          + "\n" + text + "\nInstall it with: apt-get install -y python3-opencv");
    }
    return text;
  }
}
