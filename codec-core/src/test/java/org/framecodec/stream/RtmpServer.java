package org.framecodec.stream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RTMP server for the tests: Debian's nginx with libnginx-mod-rtmp, started in the
 * foreground with a config and prefix in a temporary folder, listening on a free port of
 * 127.0.0.1 only. {@link #close()} stops it; {@link #kill()} makes it vanish abruptly, as a crashed
 * server does.
 */
final class RtmpServer implements AutoCloseable {
  private static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

  private final Path dir;
  private final int port;
  private Process process;

  private RtmpServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server in {@code dir} on a free port. */
  static RtmpServer start(Path dir) throws IOException, InterruptedException {
    RtmpServer s = new RtmpServer(dir, freePort());
    s.launch();
    return s;
  }

  /** Starts again on the same port (after {@link #kill()}), as a restarted server would. */
  void restart() throws IOException, InterruptedException {
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    if (!Files.isRegularFile(Path.of(MODULE))) {
      throw new AssertionError(MODULE + " is missing: install nginx and libnginx-mod-rtmp with codec-bench/bin/setup-deps.sh");
    }
    Files.createDirectories(dir);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, String.join("\n",
        "load_module " + MODULE + ";",
        "daemon off;",
        "master_process off;",
        "worker_processes 1;",
        "error_log " + dir.resolve("error.log") + " warn;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "events { worker_connections 64; }",
        "rtmp {",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    chunk_size 4096;",
        "    application live { live on; record off; }",
        "  }",
        "}", ""), StandardCharsets.UTF_8);
    process = Tools.start(dir.resolve("nginx.out"), List.of("nginx", "-p", dir.toString(), "-e",
        dir.resolve("error.log").toString(), "-c", conf.toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("nginx exited: " + Tools.tail(dir.resolve("nginx.out")) + Tools.tail(dir.resolve("error.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nginx does not listen on " + port + ": " + Tools.tail(dir.resolve("error.log")));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** {@code rtmp://127.0.0.1:PORT/live/NAME}. */
  String url(String name) {
    return "rtmp://127.0.0.1:" + port + "/live/" + name;
  }

  /** Kills the server at once (SIGKILL): connections drop without a goodbye. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
