package org.framecodec.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 by hand over a socket, for attacks the JDK client will not make (a byte of headers, a
 * lying Content-Length, an endless chunked body) and for requests from a chosen loopback source
 * address. Every read has a timeout; nothing here loops without a bound.
 */
final class RawHttp implements AutoCloseable {
  /** A parsed response; {@code status} -1 when the server closed without one. */
  record Response(int status, String headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** Connects to {@code server} from {@code source} (any port), reads time out after {@code timeoutMs}. */
  static RawHttp connect(InetSocketAddress server, InetAddress source, int timeoutMs) throws IOException {
    Socket s = new Socket();
    if (source != null) {
      s.bind(new InetSocketAddress(source, 0));
    }
    s.connect(server, timeoutMs);
    s.setSoTimeout(timeoutMs);
    s.setTcpNoDelay(true);
    return new RawHttp(s);
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** A POST with a body, keep-alive. */
  void post(String path, String contentType, byte[] body, String extraHeaders) throws IOException {
    send("POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + body.length + "\r\n" + extraHeaders + "\r\n");
    send(body);
  }

  /** Reads one response (Content-Length bodies only); status -1 if the connection closed first. */
  Response read() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return new Response(-1, head.toString(StandardCharsets.ISO_8859_1), new byte[0]);
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(headers.substring(9, 12));
    Response partial = new Response(status, headers, new byte[0]);
    String length = partial.header("Content-Length");
    byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    if (status == 100) {
      return read();
    }
    return new Response(status, headers, body);
  }

  /** True when the server closed the connection (EOF or reset) before {@code timeoutMs}. */
  boolean closedByServerWithin(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      InputStream in = socket.getInputStream();
      byte[] sink = new byte[4096];
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
