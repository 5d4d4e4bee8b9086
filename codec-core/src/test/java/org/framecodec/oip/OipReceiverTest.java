package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.TestCertificates;
import org.framecodec.transport.TlsFiles;
import org.framecodec.transport.TlsOptions;
import org.framecodec.transport.TransportException;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol on FrameCodec's receiver ({@link InferenceServer}, issue 14) and its gRPC port
 * beside it, both detecting through the receiver's {@link org.framecodec.transport.DetectionGate}:
 * our client on both transports, the Python REST client, {@code /detect} still served, errors as
 * the protocol's {@code {"error"}} over real HTTP, the receiver's own limits, token and TLS on
 * both ports.
 */
class OipReceiverTest {
  private static Detector detector;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() {
    detector = Detector.open(DetectorOptions.blazeFace(OipTestData.frontModel()));
    frames = OipTestData.frames();
    expected = detector.detectEncoded(frames).all();
    assertEquals(1, expected.get(0).size());
  }

  @AfterAll
  static void stop() {
    detector.close();
  }

  /** The receiver and its gRPC port, sharing one gate. */
  private record Servers(InferenceServer rest, OipGrpcServer grpc) implements AutoCloseable {
    URI base() {
      URI u = rest.uri();
      return URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort());
    }

    @Override
    public void close() {
      grpc.close();
      rest.close();
    }
  }

  private static Servers servers(Limits limits, BearerToken token, TlsOptions tls) throws IOException {
    InferenceServer.Builder b = InferenceServer.builder().detector(detector).limits(limits);
    OipService oip = OipRoutes.service("detector", b.detectionGate());
    OipRoutes.install(b, oip);
    OipGrpcServer.Builder g = OipGrpcServer.builder(oip);
    if (token != null) {
      b.token(token);
      g.token(token);
    }
    if (tls != null) {
      b.tls(tls);
      g.tls(tls);
    }
    InferenceServer rest = b.start();
    try {
      return new Servers(rest, g.start());
    } catch (IOException | RuntimeException e) {
      rest.close();
      throw e;
    }
  }

  private static Servers servers() throws IOException {
    return servers(InferenceServer.DEFAULT_LIMITS, null, null);
  }

  @Test
  void ourClientGetsTheDetectorsAnswerOverEveryTransportAndDetectStillWorks() throws IOException {
    try (Servers s = servers()) {
      for (OipClient.Protocol p : OipClient.Protocol.values()) {
        URI base = p == OipClient.Protocol.GRPC ? s.grpc().uri() : s.base();
        try (OipClient c = OipClient.builder(base).protocol(p).build()) {
          assertEquals(expected, c.detect(frames), p.name());
          assertTrue(c.serverLive() && c.serverReady() && c.modelReady(), p.name());
          assertEquals(DetectorTensors.metadata("detector", detector.info().nms().maxDetections(), "onnx_onnxv1"),
              c.modelMetadata(), p.name());
        }
      }
      assertEquals(expected, InferenceClient.builder(s.rest().uri()).build().detectBatch(Framing.RAW, frames).detections(),
          "POST /detect keeps working beside the protocol");
    }
  }

  @Test
  void thePythonRestClientSendsJpegsAsBytesAndReadsTheAnswer(@TempDir Path dir) throws IOException {
    try (Servers s = servers()) {
      Path jpg = dir.resolve("astronaut.jpg");
      Files.write(jpg, frames.get(0).payloadCopy());
      for (String encoding : List.of("--mode", "--json")) {
        List<String> args = new java.util.ArrayList<>(List.of("infer", "--url", s.base().toString(), "--mode", "cv2-yuv",
            "--outputs", "detections,counts"));
        if (encoding.equals("--json")) {
          args.add("--json");
        }
        args.add(jpg.toString());
        args.add(jpg.toString());
        String out = OipPeers.run("oip_peer.py", args.toArray(String[]::new));
        assertTrue(out.contains("\"counts\": {\"datatype\": \"INT32\", \"shape\": [2], \"data\": [1, 1]}"), out);
        assertEquals(List.of(expected.get(0), expected.get(0)), OipPeers.detections(out), encoding);
      }
    }
  }

  @Test
  void refusalsAreTheProtocolsErrorOverHttp() throws Exception {
    try (Servers s = servers()) {
      HttpClient http = HttpClient.newHttpClient();
      String json = "{\"inputs\":[{\"name\":\"images\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":7}}]}";
      byte[] body = (json + "\u0003\u0000\u0000\u0000abc").getBytes(StandardCharsets.ISO_8859_1);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(s.base().resolve("/v2/models/detector/infer"))
          .header("Inference-Header-Content-Length", "4096").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      assertEquals("{\"error\":\"Inference-Header-Content-Length 4096 is larger than the body of " + body.length
          + " bytes\"}", r.body());
      HttpResponse<String> model = http.send(HttpRequest.newBuilder(s.base().resolve("/v2/models/face")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, model.statusCode());
      assertEquals("{\"error\":\"unknown model 'face'; this server has 'detector'\"}", model.body());
    }
  }

  @Test
  void theReceiversBudgetsApplyToTheProtocolToo() throws IOException {
    // One 512x512 frame per request: the 1080p photographs are over the request budget.
    Limits small = Limits.builder().maxDocumentBytes(64L << 20).maxRequestPixels(512 * 512).build();
    try (Servers s = servers(small, null, null); OipClient rest = OipClient.builder(s.base()).build();
        OipClient grpc = OipClient.builder(s.grpc().uri()).protocol(OipClient.Protocol.GRPC).build()) {
      assertEquals(expected.subList(0, 1), rest.detect(frames.subList(0, 1)));
      OipStatusException e = assertThrows(OipStatusException.class, () -> rest.detect(frames.subList(1, 2)));
      assertEquals(413, e.httpStatus());
      assertTrue(e.serverMessage().contains("more than maxRequestPixels 262144"), e.serverMessage());
      OipStatusException g = assertThrows(OipStatusException.class, () -> grpc.detect(frames.subList(1, 2)));
      assertEquals("RESOURCE_EXHAUSTED", g.grpcCode());
    }
    // A body over the receiver's limit is refused from its Content-Length, before the protocol
    // sees it; the client, still uploading, reads the 413 (the receiver lingers before closing).
    Limits tiny = Limits.builder().maxDocumentBytes(100_000).build();
    try (Servers s = servers(tiny, null, null); OipClient rest = OipClient.builder(s.base()).build()) {
      for (int i = 0; i < 5; i++) {
        OipStatusException e = assertThrows(OipStatusException.class, () -> rest.detect(frames));
        assertEquals(413, e.httpStatus());
        assertTrue(e.serverMessage().contains("larger than the limit of 100000 bytes"), e.serverMessage());
      }
    }
  }

  @Test
  void tokenAndMutualTlsGuardBothPorts(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.make(dir);
    TlsOptions tls = TlsOptions.fromPem(certs.serverCertPem, certs.serverKeyPem).requireClientCertificates(certs.clientCertPem);
    var trust = TlsFiles.trustManagersFromPem(certs.serverCertPem);
    var keys = TlsFiles.keyManagersFromPkcs12(certs.clientP12, TestCertificates.PASSWORD);
    try (Servers s = servers(InferenceServer.DEFAULT_LIMITS, BearerToken.of("t0ken-for-tests"), tls)) {
      assertTrue(s.base().toString().startsWith("https://") && s.grpc().uri().toString().startsWith("https://"));
      for (OipClient.Protocol p : List.of(OipClient.Protocol.REST_BINARY, OipClient.Protocol.GRPC)) {
        URI base = p == OipClient.Protocol.GRPC ? s.grpc().uri() : s.base();
        try (OipClient good = OipClient.builder(base).protocol(p).tls(trust, keys).token("t0ken-for-tests").build()) {
          assertEquals(expected.subList(0, 1), good.detect(frames.subList(0, 1)), p.name());
        }
        try (OipClient noToken = OipClient.builder(base).protocol(p).tls(trust, keys).build()) {
          OipStatusException e = assertThrows(OipStatusException.class, () -> noToken.detect(frames.subList(0, 1)));
          assertEquals(401, e.httpStatus(), p.name());
        }
        try (OipClient noCert = OipClient.builder(base).protocol(p).tls(trust, null).token("t0ken-for-tests")
            .timeout(Duration.ofSeconds(10)).build()) {
          TransportException e = assertThrows(TransportException.class, () -> noCert.detect(frames.subList(0, 1)));
          // Refused in the TLS handshake, before any HTTP or gRPC status could be sent.
          assertFalse(e instanceof OipStatusException, p + ": " + e);
          assertTrue(String.valueOf(e.getMessage()).matches("(?s).*(cannot reach|failed|handshake|SSL|closed).*"), p + ": " + e);
        }
      }
    }
  }
}
