package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionMatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against the Java receiver: same detector on both sides, so the answers are equal. */
class InferenceServerTest {
  private static Detector detector;
  private static InferenceServer server;
  private static InferenceClient client;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() throws IOException {
    frames = TransportTestData.frames();
    detector = Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
    expected = TransportTestData.local(detector, frames);
    assertEquals(1, expected.get(0).size(), "local detections of the astronaut");
    server = InferenceServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), detector,
        Limits.builder().maxDocumentBytes(64 << 20).build());
    client = InferenceClient.builder(server.uri()).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      server.close(); // idempotent
    }
    if (detector != null) {
      detector.close();
    }
  }

  @Test
  void everyFramingGivesTheLocalDetections() {
    // The JSON writer prints floats in shortest form, so a round trip keeps them exactly.
    assertEquals(expected, client.detectBatch(Framing.JSON, frames).detections());
    assertEquals(expected, client.detectBatch(Framing.RAW, frames).detections());
    List<List<Detection>> perFrame = new ArrayList<>();
    for (EncodedFrame f : frames) {
      perFrame.add(client.detect(Framing.JSON, f).detections().get(0));
    }
    assertEquals(expected, perFrame);
    assertEquals(List.of(), client.detectBatch(Framing.RAW, List.of()).detections());
  }

  @Test
  void uriIsLoopbackWithTheBoundPort() {
    assertEquals("http://127.0.0.1:" + server.address().getPort() + "/detect", server.uri().toString());
  }

  @Test
  void badRequestsGetTheirStatus() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    assertEquals(400, post(http, server.uri(), "application/json", "{\"shape\": [2, 2, 3]}").statusCode());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.uri()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    URI other = server.uri().resolve("/other");
    assertEquals(404, post(http, other, "application/json", "{}").statusCode());
    HttpResponse<String> unknownMode = post(http, server.uri(), "application/json",
        "{\"shape\": [2, 2, 3], \"mode\": \"hsv\", \"data\": \"/9j/\"}");
    assertEquals(415, unknownMode.statusCode(), unknownMode.body());
  }

  @Test
  void aBatchMayMixModesAndEachFrameIsDecodedInItsOwn() {
    EncodedFrame ycbcr;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      Frame astronaut = codec.decode(frames.get(0), PixelFormat.BGR);
      ycbcr = codec.encodeFrame(astronaut, EncodeOptions.ycbcr(80, Subsampling.S420));
    }
    List<EncodedFrame> mixed = List.of(frames.get(0), ycbcr);
    List<List<Detection>> got = client.detectBatch(Framing.RAW, mixed).detections();
    DetectionMatch.assertMatch(TransportTestData.local(detector, mixed), got, 0.999, 1e-5, true, "mixed modes");
    assertEquals(1, got.get(1).size(), "the face is found in the ycbcr frame too");
  }

  @Test
  void bodiesOverTheLimitGet413() throws IOException {
    Detector unused = detector;
    try (InferenceServer tiny = InferenceServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        unused, Limits.builder().maxDocumentBytes(1000).build())) {
      InferenceHttpException e = assertThrows(InferenceHttpException.class,
          () -> InferenceClient.builder(tiny.uri()).build().detect(Framing.RAW, frames.get(0)));
      assertEquals(413, e.statusCode());
      assertTrue(e.bodyExcerpt().contains("larger than the limit of 1000 bytes (maxDocumentBytes)"),
          e.bodyExcerpt());
    }
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
