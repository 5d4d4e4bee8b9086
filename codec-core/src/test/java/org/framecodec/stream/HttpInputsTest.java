package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.framecodec.detect.Detector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network inputs over HTTP: an HLS playlist with its segments and an MPEG-TS file, both made by
 * Debian's ffmpeg and served by a JDK HTTP server on a loopback port. Each is read to its end in
 * file mode with every frame written.
 */
class HttpInputsTest {
  @TempDir
  static Path dir;
  static HttpServer server;
  static Detector detector;

  @BeforeAll
  static void serve() throws Exception {
    Path www = Files.createDirectories(dir.resolve("www"));
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
        "-c:a", "aac", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_playlist_type", "vod",
        www.resolve("live.m3u8").toString());
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "2", "-c:v", "libx264",
        "-preset", "ultrafast", "-f", "mpegts", www.resolve("cam.ts").toString());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", exchange -> {
      Path file = www.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(www) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    detector = StreamTestData.openDetector();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    detector.close();
  }

  static String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  static StreamResult run(String url, Path out) throws InterruptedException {
    try (StreamPipeline p = StreamPipeline.builder().detector(StreamDetector.local(detector))
        .options(PipelineOptions.builder().mode(ProcessingMode.FILE).build())
        .stream(SourceOptions.builder(url).streamId("http").build(), SinkOptions.of(out.toString()))
        .start()) {
      return p.await(Duration.ofSeconds(60)).orElseThrow().stream("http");
    }
  }

  @Test
  void readsAnHlsPlaylistOverHttp() throws Exception {
    Path out = dir.resolve("from-hls.mp4");
    StreamResult r = run(url("live.m3u8"), out);
    assertTrue(r.ok(), r.toString());
    assertEquals(75, r.stats().framesOut());
    assertTrue(r.stats().audioOut() > 0, r.toString());
    assertEquals(75, Tools.countFrames(out));
    assertEquals("aac", Tools.audioCodec(out));
  }

  @Test
  void readsMpegTsOverHttp() throws Exception {
    Path out = dir.resolve("from-ts.mp4");
    StreamResult r = run(url("cam.ts"), out);
    assertTrue(r.ok(), r.toString());
    assertEquals(50, r.stats().framesOut());
    assertEquals(50, Tools.countFrames(out));
  }

  @Test
  void aMissingUrlIsUnavailableAfterItsAttempts() throws Exception {
    try (StreamPipeline p = StreamPipeline.builder().detector(StreamDetector.local(detector))
        .stream(SourceOptions.builder(url("nothing.ts")).streamId("http")
            .reconnect(ReconnectPolicy.of(1, Duration.ofMillis(50), Duration.ofMillis(50), 1)).build(),
            SinkOptions.of(dir.resolve("nothing.mp4").toString()))
        .start()) {
      StreamResult r = p.await(Duration.ofSeconds(30)).orElseThrow().stream("http");
      SourceUnavailableException e = (SourceUnavailableException) r.failure().orElseThrow();
      assertEquals(2, e.attempts());
      assertTrue(e.getMessage().contains("404"), e.getMessage());
    }
  }
}
