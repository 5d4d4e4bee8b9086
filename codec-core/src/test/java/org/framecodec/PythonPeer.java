package org.framecodec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * the test with the install command rather than skipping it. {@link #server} runs a peer that
 * serves (the transport and OIP peers).
 */
public final class PythonPeer {
  private PythonPeer() {}

  public static String python() {
    String env = System.getenv("FRAMECODEC_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  /** Runs {@code peer.py} with the given arguments; returns its standard output. */
  public static String recipe(String... args) {
    Path script = script("peer.py");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("peer script not found at " + script);
    }
    return exec(command(script, args), "Install the peer with: apt-get install -y python3-opencv python3-numpy");
  }

  /** {@code src/test/python/<name>}, absolute. */
  public static Path script(String name) {
    return Paths.get("src/test/python", name).toAbsolutePath();
  }

  /**
   * Runs {@code src/test/python/<script> args...} to its end (at most 120 s); its standard output.
   * A failure names {@code install}, the command that installs what the script needs.
   */
  public static String run(String script, String install, String... args) {
    return exec(command(script(script), args), install);
  }

  /**
   * Starts {@code src/test/python/<script> args...}, a server that prints {@code PORT n} once it
   * listens on an ephemeral loopback port and serves until its stdin closes, and waits for that
   * line. A peer that does not start fails with its standard error and {@code install}.
   */
  public static Server server(String script, String install, String... args) throws IOException {
    Path log = Files.createTempFile("python-peer", ".log");
    Process p = new ProcessBuilder(command(script(script), args)).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine(); // blocks until "PORT n" or the process exits
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      String err = Files.readString(log);
      Files.deleteIfExists(log);
      throw new AssertionError(script + " did not start: " + err + "\n" + install);
    }
    return new Server(p, Integer.parseInt(line.substring(5).trim()), log);
  }

  /**
   * A serving peer of {@link #server}. {@link #close()} closes its stdin, which stops it (as this
   * JVM dying would), and deletes its log. One test class owns one; not thread-safe.
   */
  public static final class Server implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private Server(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    /** {@return the loopback port it serves on} */
    public int port() {
      return port;
    }

    @Override
    public void close() throws IOException {
      process.getOutputStream().close();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(log);
    }
  }

  private static List<String> command(Path script, String... args) {
    List<String> cmd = new ArrayList<>(List.of(python(), script.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code python -c script args...}; returns its standard output. */
  public static String inline(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of(python(), "-c", script));
    cmd.addAll(List.of(args));
    return exec(cmd, "Install the peer with: apt-get install -y python3-opencv python3-numpy");
  }

  private static String exec(List<String> cmd, String install) {
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
          throw new AssertionError("python failed (exit " + p.exitValue() + "): " + cmd.get(1) + "\n"
              + Files.readString(err) + "\n" + install);
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
