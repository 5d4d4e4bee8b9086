package org.framecodec.oip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.PythonPeer;

/**
 * A Python peer of src/test/python as a child process: a server that prints "PORT n" once it
 * listens on an ephemeral loopback port and serves until its stdin closes (so {@link #close()},
 * or this JVM dying, stops it), or a one-shot client whose output is returned. A missing Python
 * package fails with the install command, never a skip.
 */
final class PythonProcess implements AutoCloseable {
  static final String INSTALL = "Install the peers with: apt-get install -y python3-opencv python3-flask"
      + " python3-crcmod python3-grpcio python3-grpc-tools (codec-bench/bin/setup-deps.sh)";

  private final Process process;
  private final int port;
  private final Path log;

  private PythonProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static Path script(String name) {
    return Path.of("src/test/python", name).toAbsolutePath();
  }

  /** Starts {@code script args...} and waits for its "PORT n" line. */
  static PythonProcess server(String script, String... args) throws IOException {
    Path log = Files.createTempFile("oip-peer", ".log");
    List<String> cmd = new ArrayList<>(List.of(PythonPeer.python(), script(script).toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine(); // blocks until "PORT n" or the process exits
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new AssertionError(script + " did not start: " + Files.readString(log) + "\n" + INSTALL);
    }
    return new PythonProcess(p, Integer.parseInt(line.substring(5).trim()), log);
  }

  /** Runs {@code script args...} to its end (at most 120 s); its standard output. */
  static String run(String script, String... args) throws IOException {
    Path err = Files.createTempFile("oip-peer", ".err");
    try {
      List<String> cmd = new ArrayList<>(List.of(PythonPeer.python(), script(script).toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(script + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(script + " failed (exit " + p.exitValue() + "):\n" + Files.readString(err)
            + "\n" + INSTALL);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /**
   * The detections in a peer client's printed answer ({@code {"outputs": {"detections": {"data":
   * [doc, ...]}}}}, each doc a DetectionsJson document of one frame).
   */
  static java.util.List<java.util.List<org.framecodec.detect.Detection>> detections(String printed) throws IOException {
    var json = new org.framecodec.transport.DetectionsJson();
    java.util.List<java.util.List<org.framecodec.detect.Detection>> out = new ArrayList<>();
    try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(printed)) {
      boolean inDetections = false;
      for (var t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && p.currentName().equals("detections")) {
          inDetections = true;
        } else if (inDetections && t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && p.currentName().equals("data")) {
          p.nextToken();
          while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
            byte[] doc = p.getText().getBytes(StandardCharsets.UTF_8);
            out.add(json.read(doc, 0, doc.length, 1).get(0));
          }
          return out;
        }
      }
    }
    throw new AssertionError("no detections output in: " + printed);
  }

  int port() {
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
