package org.framecodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script on Debian's {@code /usr/bin/python3}, which has numpy and OpenCV (the
 * {@code python3} on PATH may be a pyenv without them), and returns its standard output.
 * Test helper; fails the test with the script's stderr when it exits non-zero.
 */
public final class PythonPeer {
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  private PythonPeer() {}

  /** Runs {@code script} with {@code args} and returns stdout; stderr is shown on failure. */
  public static String run(String script, String... args) {
    assertTrue(Files.isExecutable(PYTHON), PYTHON + " is needed for interop tests");
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
    cmd.addAll(List.of(args));
    try {
      Path err = Files.createTempFile("python-peer", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), () -> "python failed:\n" + read(err));
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + PYTHON, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }
}
