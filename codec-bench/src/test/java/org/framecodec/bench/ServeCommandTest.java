package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.ImageFiles;
import org.framecodec.oip.OipClient;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceHttpException;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code framecodec serve} as a user runs it: its own JVM, stopped by SIGTERM. */
class ServeCommandTest {
  static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
    java.io.PrintStream e = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--tls-cert", "c.pem", "--port", "0"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--tls-cert and --tls-key go together"), err.toString());
    err.reset();
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--port", "x"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("'x'"), err.toString());
    err.reset();
    assertEquals(0, FrameCodecCli.run(new String[] {"serve", "--help"}, o, e));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--token-file") && help.contains("--client-ca") && help.contains("127.0.0.1"), help);
    assertTrue(help.contains("--grpc-port") && help.contains("--model-name"), help);
    assertTrue(help.contains("--metrics-token-file") && help.contains("GET /metrics"), help);
    err.reset();
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--metrics-token-env", "SCRAPE"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--metrics-token-env needs --metrics"), err.toString());
    err.reset();
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--metrics", "--metrics-token-file", "t",
        "--metrics-token-env", "SCRAPE"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--metrics-token-file or --metrics-token-env, not both"),
        err.toString());
    ServeCommand.Settings s = new ServeCommand.Settings(Path.of("m.onnx"), "127.0.0.1", 8000, null, null,
        null, null, null, 32, null, "detector", -1);
    assertEquals(8000, s.port());
    assertThrows(IllegalArgumentException.class, () -> new ServeCommand.Settings(Path.of("m.onnx"), "h", 70000,
        null, null, null, null, null, 1, null, "detector", -1));
    err.reset();
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--port", "8000", "--grpc-port", "8000"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--grpc-port must differ from --port (8000)"), err.toString());
    err.reset();
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--model-name", "a/b"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("'a/b'"), err.toString());
  }

  @Test
  void servesTheOpenInferenceProtocolOverRestAndGrpcBesideDetect() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        ServeCommand.class.getName(), "--model", ROOT.resolve(
            "codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx").toString(),
        "--port", "0", "--grpc-port", "0", "--model-name", "faces").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String rest = out.readLine();
      String grpc = out.readLine();
      assertTrue(rest != null && rest.startsWith("listening on http://127.0.0.1:"), rest);
      assertTrue(grpc != null && grpc.startsWith("grpc on http://127.0.0.1:"), grpc);
      URI detect = URI.create(rest.substring("listening on ".length()));
      URI base = URI.create("http://127.0.0.1:" + detect.getPort());
      EncodedFrame face;
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        face = codec.encodeFrame(ImageFiles.read(ROOT.resolve(
            "codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png")), EncodeOptions.cv2Yuv(80));
      }
      try (OipClient r = OipClient.builder(base).model("faces").build();
          OipClient g = OipClient.builder(URI.create(grpc.substring("grpc on ".length())))
              .protocol(OipClient.Protocol.GRPC).model("faces").build()) {
        assertEquals(1, r.detect(List.of(face)).get(0).size());
        assertEquals(1, g.detect(List.of(face)).get(0).size());
        assertEquals("faces", r.modelMetadata().name());
        assertTrue(!r.modelReady("detector"), "the model is named faces");
      }
      assertEquals(1, InferenceClient.builder(detect).build().detect(Framing.RAW, face).detections().get(0).size());
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void sigtermLetsInFlightRequestsFinishAndAnswersNewOnes503() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        ServeCommand.class.getName(), "--model", ROOT.resolve(
            "codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx").toString(),
        "--port", "0").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:"), line);
      URI uri = URI.create(line.substring("listening on ".length()));
      EncodedFrame photo;
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        photo = codec.encodeFrame(ImageFiles.read(ROOT.resolve("codec-core/src/test/resources/corpus/moss-1080p.png")),
            EncodeOptions.cv2Yuv(80));
      }
      InferenceClient client = InferenceClient.builder(uri).build();
      assertEquals(1, client.detect(Framing.RAW, photo).detections().size());
      assertEquals(404, get(uri.resolve("/metrics"), null).statusCode(), "no /metrics without --metrics");
      // A request in flight: its headers and half its body sent, the rest after the SIGTERM.
      byte[] body = new org.framecodec.wire.WireWriter().write(Framing.RAW, photo);
      try (java.net.Socket inFlight = new java.net.Socket(uri.getHost(), uri.getPort())) {
        inFlight.setSoTimeout(60_000);
        java.io.OutputStream o = inFlight.getOutputStream();
        o.write(("POST /detect HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        o.write(body, 0, body.length / 2);
        o.flush();
        Thread.sleep(500); // the server has the headers: the request is in flight
        p.destroy(); // SIGTERM
        Thread.sleep(500);
        InferenceHttpException refused = assertThrows(InferenceHttpException.class,
            () -> client.detect(Framing.RAW, photo));
        assertEquals(503, refused.statusCode(), refused.getMessage());
        assertTrue(refused.bodyExcerpt().contains("shutting down"), refused.bodyExcerpt());
        o.write(body, body.length / 2, body.length - body.length / 2);
        o.flush();
        String answer = new String(inFlight.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
        assertTrue(answer.contains("connection: close"), "the last response closes: " + answer);
        assertTrue(answer.contains("\"frames\""), answer);
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
      assertEquals(143, p.exitValue(), "stopped by SIGTERM");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void metricsServesThePrometheusScrapeBehindATokenOfItsOwn(@TempDir Path dir) throws Exception {
    Path clientToken = Files.writeString(dir.resolve("client.token"), "client-secret-1\n");
    Path scrapeToken = Files.writeString(dir.resolve("scrape.token"), "scrape-secret-2\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        ServeCommand.class.getName(), "--model", ROOT.resolve(
            "codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx").toString(),
        "--port", "0", "--token-file", clientToken.toString(),
        "--metrics", "--metrics-token-file", scrapeToken.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:")
          && line.endsWith(" (bearer token required)"), line);
      URI uri = URI.create(line.substring("listening on ".length()).split(" ")[0]);
      URI metrics = uri.resolve("/metrics");
      assertEquals("metrics at " + metrics + " (scrape token required)", out.readLine());

      EncodedFrame face;
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        face = codec.encodeFrame(ImageFiles.read(ROOT.resolve(
            "codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png")), EncodeOptions.cv2Yuv(80));
      }
      byte[] body = new org.framecodec.wire.WireWriter().write(Framing.RAW, face);
      InferenceClient client = InferenceClient.builder(uri).bearerToken(BearerToken.of("client-secret-1"))
          .requestTimeout(Duration.ofSeconds(30)).build();
      assertEquals(1, client.detect(Framing.RAW, face).detections().get(0).size(), "the astronaut's face");

      assertEquals(401, get(metrics, null).statusCode(), "no token");
      assertEquals(401, get(metrics, "client-secret-1").statusCode(), "the client's token does not open /metrics");
      InferenceHttpException scraperPosts = assertThrows(InferenceHttpException.class, () -> InferenceClient
          .builder(uri).bearerToken(BearerToken.of("scrape-secret-2")).build().detect(Framing.RAW, face));
      assertEquals(401, scraperPosts.statusCode(), "the scrape token does not open /detect");

      HttpResponse<String> scrape = get(metrics, "scrape-secret-2");
      assertEquals(200, scrape.statusCode(), scrape.body());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.headers().firstValue("content-type").orElse(""));
      String text = scrape.body();
      // Everything before this scrape, counted exactly: one frame detected, its body bytes, the
      // refusals on both routes.
      assertEquals(1.0, sample(text, "framecodec_server_requests_seconds_count",
          "route=\"/detect\",server=\"receiver\",status=\"2xx\""), text);
      assertEquals(body.length, sample(text, "framecodec_server_received_bytes_total",
          "route=\"/detect\",server=\"receiver\""), text);
      assertEquals(1.0, sample(text, "framecodec_server_errors_total",
          "code=\"401\",error=\"unauthorized\",route=\"/detect\",server=\"receiver\""), text);
      assertEquals(2.0, sample(text, "framecodec_server_errors_total",
          "code=\"401\",error=\"unauthorized\",route=\"/metrics\",server=\"receiver\""), text);
      assertEquals(1.0, sample(text, "framecodec_detector_images_total", "detector=\"blazeface\""), text);
      for (String meter : List.of("framecodec_server_connections{server=\"receiver\"} ", "framecodec_server_refusals_total{",
          "framecodec_codec_open{", "jvm_memory_used_bytes{", "jvm_threads_live_threads ", "system_cpu_count ")) {
        assertTrue(text.contains("\n" + meter), meter + " in\n" + text);
      }

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
      assertEquals(143, p.exitValue(), "stopped by SIGTERM");
    } finally {
      p.destroyForcibly();
    }
  }

  private static HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}, in order. */
  private static double sample(String text, String name, String labels) {
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(text);
    Double found = null;
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        assertEquals(null, found, "one sample of " + name + " with " + labels);
        found = Double.parseDouble(m.group(2));
      }
    }
    assertTrue(found != null, "no sample of " + name + " with " + labels + " in\n" + text);
    return found;
  }
}
