package org.framecodec.bench.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child process on 127.0.0.1, started the way the project's peers are written: it
 * prints {@code PORT n} on stdout once it listens (on an ephemeral port) and serves until its
 * stdin closes, so it never outlives the process that started it. Its stderr goes to a temporary
 * log, quoted when it fails to start and deleted on {@link #close()}.
 *
 * <p>The Python peer (peer_server.py) and the Java receiver of the transport benchmark are
 * started with it. codec-core's own tests start their Python peers with their PythonPeer.server,
 * since a library test cannot depend on the bench module. Not thread-safe; one owner closes it.
 */
public final class ChildServer implements AutoCloseable {
  private final String name;
  private final Process process;
  private final URI base;
  private final Path log;

  private ChildServer(String name, Process process, URI base, Path log) {
    this.name = name;
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts {@code command} and waits for its {@code PORT n} line.
   *
   * @throws IOException when the program cannot be started or exits before saying its port; the
   *     message quotes its stderr and {@code hint} (e.g. what to install)
   */
  public static ChildServer start(String name, List<String> command, String hint) throws IOException {
    Path log = Files.createTempFile("framecodec-" + name, ".log");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    } catch (IOException e) {
      Files.deleteIfExists(log);
      throw new IOException("cannot start the " + name + " server (" + command.get(0) + "): " + e.getMessage()
          + "; " + hint, e);
    }
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine(); // blocks until "PORT n" or the process exits
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      String err = Files.readString(log).strip();
      Files.deleteIfExists(log);
      throw new IOException("the " + name + " server did not start (" + String.join(" ", command) + "): " + err
          + "; " + hint);
    }
    int port = Integer.parseInt(line.substring(5).trim());
    return new ChildServer(name, p, URI.create("http://127.0.0.1:" + port + "/"), log);
  }

  /** The name given at start. */
  public String name() {
    return name;
  }

  /** {@code http://127.0.0.1:PORT/} + {@code path}. */
  public URI uri(String path) {
    return base.resolve(path);
  }

  /** utime + stime of the process (all its threads) from /proc/PID/stat, in nanoseconds (Linux). */
  public long cpuNanos() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  /** Closes the server's stdin, waits up to 10 s for it to exit, then kills it. Idempotent. */
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
