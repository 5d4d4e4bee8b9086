package org.framecodec.oip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback HTTP/1.1 server that misbehaves on purpose, to hold the client to its deadline and
 * its response cap: it reads each request's headers and body, then plays its script. One thread
 * per connection; {@link #close()} closes every socket and ends the threads.
 */
final class MisbehavingHttpServer implements AutoCloseable {
  /** What to do once a request has been read. */
  interface Script {
    void play(OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final Script script;
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;

  MisbehavingHttpServer(Script script) throws IOException {
    this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.script = script;
    this.acceptor = new Thread(this::accept, "misbehaving-http");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        synchronized (open) {
          open.add(s);
        }
        Thread t = new Thread(() -> serve(s), "misbehaving-http-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      String headers = readHeaders(in);
      int length = 0;
      for (String line : headers.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.readNBytes(length);
      script.play(out);
    } catch (IOException | InterruptedException | RuntimeException ignored) {
      // The client hanging up is what most scripts expect.
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
