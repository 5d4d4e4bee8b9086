package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.PythonPeer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionMatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our gRPC client against a gRPC server on Debian's python3-grpcio whose message classes
 * python3-grpc-tools compiles from our own oip_v2.proto when it starts (src/test/python/
 * oip_grpc_peer.py): JPEGs go in raw_input_contents, length-prefixed; outputs come back in
 * raw_output_contents; detections match our Java detector's as in the REST peer test.
 */
class OipClientPythonGrpcPeerTest {
  private static PythonPeer.Server peer;
  private static URI base;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() throws IOException {
    frames = OipTestData.frames();
    expected = OipTestData.localDetections(frames);
    peer = OipPeers.serveFrontModel("oip_grpc_peer.py");
    base = URI.create("http://127.0.0.1:" + peer.port());
  }

  @AfterAll
  static void stop() throws IOException {
    if (peer != null) {
      peer.close();
    }
  }

  private static OipClient client() {
    return OipClient.builder(base).protocol(OipClient.Protocol.GRPC).build();
  }

  @Test
  void detectionsMatchTheLocalDetector() {
    try (OipClient c = client()) {
      DetectionMatch.assertMatch(expected, c.detect(frames), 0.9, 0.02, true, "gRPC");
    }
  }

  @Test
  void fixedSizeTensorsAndTheRequestIdComeBack() {
    try (OipClient c = client()) {
      InferRequest r = c.framesRequest(frames).toBuilder().id("req-9")
          .output(RequestedOutput.named(DetectorTensors.BOXES)).output(RequestedOutput.named(DetectorTensors.SCORES))
          .output(RequestedOutput.named(DetectorTensors.CLASSES)).output(RequestedOutput.named(DetectorTensors.COUNTS))
          .build();
      InferResponse resp = c.infer(r);
      assertEquals("req-9", resp.id().orElseThrow());
      assertArrayEquals(new long[] {frames.size(), 100}, resp.output(DetectorTensors.SCORES).shape());
      DetectionMatch.assertMatch(expected, DetectorTensors.readFixed(resp, frames.size()), 0.9, 0.02, false, "gRPC fixed");
    }
  }

  @Test
  void healthAndMetadata() {
    try (OipClient c = client()) {
      assertTrue(c.serverLive());
      assertTrue(c.serverReady());
      assertTrue(c.modelReady());
      assertFalse(c.modelReady("other"));
      assertEquals(DetectorTensors.metadata("detector", 100, "onnx_onnxv1"), c.modelMetadata());
    }
  }

  @Test
  void statusesArriveTyped() {
    try (OipClient c = OipClient.builder(base).protocol(OipClient.Protocol.GRPC).model("other").build()) {
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(frames.subList(0, 1)));
      assertEquals("NOT_FOUND", e.grpcCode());
      assertEquals(404, e.httpStatus());
      assertEquals("unknown model 'other'; this server has 'detector'", e.serverMessage());
    }
  }

  @Test
  void aResponseOverTheClientsCapIsRefused() {
    // Four frames of fixed-size outputs are ~9 KB; a 4 KB cap refuses them on arrival.
    try (OipClient c = OipClient.builder(base).protocol(OipClient.Protocol.GRPC).maxResponseBytes(4096).build()) {
      PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class, () -> c.inferFrames(frames));
      assertTrue(e.getMessage().endsWith("is larger than the limit of 4096 bytes"), e.getMessage());
    }
  }
}
