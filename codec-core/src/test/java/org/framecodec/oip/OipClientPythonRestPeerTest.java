package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.framecodec.PythonPeer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionMatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our client against a REST peer written in Python from the specification (src/test/python/
 * oip_peer.py: Flask, python3-opencv 4.6 DNN running BlazeFace), in both REST encodings: the
 * binary tensor data extension (JPEGs intact in the tail) and JSON (base64 strings). The
 * detections that come back match our Java detector's on the same payloads; the tolerance is
 * the one InferenceClientPythonPeerTest explains (two JPEG decoders, two DNN builds).
 */
class OipClientPythonRestPeerTest {
  private static PythonPeer.Server peer;
  private static URI base;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() throws IOException {
    frames = OipTestData.frames();
    expected = OipTestData.localDetections(frames);
    peer = OipPeers.serveFrontModel("oip_peer.py");
    base = URI.create("http://127.0.0.1:" + peer.port());
  }

  @AfterAll
  static void stop() throws IOException {
    if (peer != null) {
      peer.close();
    }
  }

  private static OipClient client(OipClient.Protocol protocol) {
    return OipClient.builder(base).protocol(protocol).build();
  }

  @ParameterizedTest
  @EnumSource(value = OipClient.Protocol.class, names = {"REST_BINARY", "REST_JSON"})
  void detectionsMatchTheLocalDetector(OipClient.Protocol protocol) {
    try (OipClient c = client(protocol)) {
      DetectionMatch.assertMatch(expected, c.detect(frames), 0.9, 0.02, true, protocol.name());
    }
  }

  @ParameterizedTest
  @EnumSource(value = OipClient.Protocol.class, names = {"REST_BINARY", "REST_JSON"})
  void fixedSizeTensorsCarryTheSameBoxes(OipClient.Protocol protocol) {
    try (OipClient c = OipClient.builder(base).protocol(protocol)
        .outputs(DetectorTensors.BOXES, DetectorTensors.SCORES, DetectorTensors.CLASSES, DetectorTensors.COUNTS).build()) {
      InferResponse r = c.inferFrames(frames);
      assertEquals("detector", r.modelName());
      assertArrayEquals(new long[] {frames.size(), 100, 4}, r.output(DetectorTensors.BOXES).shape());
      assertEquals(Datatype.INT32, r.output(DetectorTensors.COUNTS).datatype());
      DetectionMatch.assertMatch(expected, DetectorTensors.readFixed(r, frames.size()), 0.9, 0.02, false, protocol.name());
    }
  }

  @Test
  void asyncCallsRunConcurrentlyAndAgree() {
    try (OipClient c = client(OipClient.Protocol.REST_BINARY)) {
      List<CompletableFuture<List<List<Detection>>>> calls = List.of(
          c.detectAsync(frames.subList(0, 1)), c.detectAsync(frames.subList(1, 3)), c.detectAsync(frames));
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
      DetectionMatch.assertMatch(expected.subList(0, 1), calls.get(0).join(), 0.9, 0.02, true, "async 1");
      DetectionMatch.assertMatch(expected.subList(1, 3), calls.get(1).join(), 0.9, 0.02, true, "async 2");
      DetectionMatch.assertMatch(expected, calls.get(2).join(), 0.9, 0.02, true, "async 3");
    }
  }

  @Test
  void healthAndMetadata() {
    try (OipClient c = client(OipClient.Protocol.REST_BINARY)) {
      assertTrue(c.serverLive());
      assertTrue(c.serverReady());
      assertTrue(c.modelReady());
      assertFalse(c.modelReady("no-such-model"), "a 404 is 'not ready', as the protocol says");
      assertEquals(DetectorTensors.metadata("detector", 100, "onnx_onnxv1"), c.modelMetadata());
    }
  }

  @Test
  void serverErrorsArriveTypedWithTheServersMessage() {
    try (OipClient c = OipClient.builder(base).model("no-such-model").build()) {
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(frames.subList(0, 1)));
      assertEquals(404, e.httpStatus());
      assertEquals("unknown model 'no-such-model'; this server has 'detector'", e.serverMessage());
    }
    try (OipClient c = client(OipClient.Protocol.REST_BINARY)) {
      EncodedFrame notJpeg = EncodedFrame.builder().payload(new byte[] {1, 2, 3, 4}).size(2, 2).mode(JpegMode.YCBCR).build();
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(List.of(notJpeg)));
      assertEquals(400, e.httpStatus());
      assertEquals("images element 0 is not a JPEG OpenCV can decode", e.serverMessage());
    }
  }

  @Test
  void pythonClientSendsJpegsAsBytesToThePythonServer() throws IOException {
    // The Python client against the Python server: the peer pair agrees with itself before it is
    // used against our server (OipServer tests).
    java.nio.file.Path jpg = java.nio.file.Files.createTempFile("astronaut", ".jpg");
    try {
      EncodedFrame astronaut = OipTestData.frames(org.framecodec.codec.EncodeOptions.ycbcr(90,
          org.framecodec.codec.Subsampling.S420)).get(0);
      java.nio.file.Files.write(jpg, astronaut.payloadCopy());
      String out = OipPeers.run("oip_peer.py", "infer", "--url", base.toString(), "--outputs", "detections,counts",
          jpg.toString(), jpg.toString());
      assertTrue(out.contains("\"counts\": {\"datatype\": \"INT32\", \"shape\": [2], \"data\": [1, 1]}"), out);
    } finally {
      java.nio.file.Files.deleteIfExists(jpg);
    }
  }
}
