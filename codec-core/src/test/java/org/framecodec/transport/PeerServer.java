package org.framecodec.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.PythonPeer;

/**
 * The Flask peer (src/test/python/peer_server.py) as a child process on an ephemeral loopback
 * port. It serves until its stdin closes, so {@link #close()} (or this JVM dying) stops it. A
 * missing Flask or OpenCV fails with the install command, never a skip.
 */
final class PeerServer implements AutoCloseable {
  private final Process process;
  private final URI uri;
  private final Path log;

  private PeerServer(Process process, URI uri, Path log) {
    this.process = process;
    this.uri = uri;
    this.log = log;
  }

  static PeerServer start(Path model) throws IOException {
    Path script = Path.of("src/test/python/peer_server.py").toAbsolutePath();
    Path log = Files.createTempFile("peer-server", ".log");
    Process p = new ProcessBuilder(List.of(PythonPeer.python(), script.toString(), "--model",
        model.toAbsolutePath().toString())).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine(); // blocks until "PORT n" or the process exits
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new AssertionError("peer_server.py did not start: " + Files.readString(log)
          + "\nInstall the peer with: apt-get install -y python3-opencv python3-flask python3-crcmod"
          + " (codec-bench/bin/setup-deps.sh)");
    }
    int port = Integer.parseInt(line.substring(5).trim());
    return new PeerServer(p, URI.create("http://127.0.0.1:" + port + "/detect"), log);
  }

  URI uri() {
    return uri;
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
