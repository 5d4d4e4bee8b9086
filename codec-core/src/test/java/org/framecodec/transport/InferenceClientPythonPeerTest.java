package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.PythonPeer;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionMatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the real Python peer (Flask, python3-opencv 4.6 DNN, the source recipe's
 * decode) over loopback, in every framing: the detections that come back match our Java
 * detector's on the same payloads. OpenCV 4.6 and our TurboJPEG decoder differ by a few grey
 * levels (libjpeg's fancy upsampling vs OpenCV's), and the two DNN builds differ in float
 * rounding, hence IoU >= 0.9 and score within 0.02 rather than equality.
 */
class InferenceClientPythonPeerTest {
  private static final String INSTALL = "Install the peer with: apt-get install -y python3-opencv"
      + " python3-flask python3-crcmod (codec-bench/bin/setup-deps.sh)";

  /** The Flask peer (src/test/python/peer_server.py), serving POST /detect until closed. */
  private static PythonPeer.Server peer;
  private static InferenceClient client;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() throws IOException {
    frames = TransportTestData.frames();
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()))) {
      expected = TransportTestData.local(detector, frames);
    }
    // The astronaut has a face; without it the comparison could pass on empty lists.
    assertEquals(1, expected.get(0).size(), "local detections of the astronaut: " + expected.get(0));
    peer = PythonPeer.server("peer_server.py", INSTALL, "--model",
        CorpusFrames.frontModel().toAbsolutePath().toString());
    client = InferenceClient.builder(URI.create("http://127.0.0.1:" + peer.port() + "/detect")).build();
  }

  @AfterAll
  static void stop() throws IOException {
    if (peer != null) {
      peer.close();
    }
  }

  @Test
  void jsonPerFrameMatchesTheLocalDetector() {
    List<List<Detection>> got = new ArrayList<>();
    for (EncodedFrame f : frames) {
      InferenceResult r = client.detect(Framing.JSON, f);
      assertEquals(1, r.detections().size());
      got.add(r.detections().get(0));
    }
    DetectionMatch.assertMatch(expected, got, 0.9, 0.02, true, "JSON per frame");
  }

  @Test
  void jsonBatchMatchesTheLocalDetector() {
    InferenceResult r = client.detectBatch(Framing.JSON, frames);
    DetectionMatch.assertMatch(expected, r.detections(), 0.9, 0.02, true, "JSON batch");
    long payloads = frames.stream().mapToLong(EncodedFrame::payloadLength).sum();
    // base64 costs a third more than the payloads it carries.
    assertTrue(r.requestBytes() > payloads * 4 / 3, "JSON body " + r.requestBytes() + " vs payloads " + payloads);
  }

  @Test
  void rawBatchMatchesTheLocalDetector() {
    InferenceResult r = client.detectBatch(Framing.RAW, frames);
    DetectionMatch.assertMatch(expected, r.detections(), 0.9, 0.02, true, "raw batch");
    long payloads = frames.stream().mapToLong(EncodedFrame::payloadLength).sum();
    // 14 bytes of container, 25 + 5 ("cam-1") per frame.
    assertEquals(payloads + 14 + 30L * frames.size(), r.requestBytes());
  }

  @Test
  void rawSingleFrameAndEmptyBatch() {
    InferenceResult one = client.detect(Framing.RAW, frames.get(0));
    DetectionMatch.assertMatch(expected.subList(0, 1), one.detections(), 0.9, 0.02, true, "raw single");
    assertEquals(List.of(), client.detectBatch(Framing.RAW, List.of()).detections());
    assertEquals(List.of(), client.detectBatch(Framing.JSON, List.of()).detections());
  }

  @Test
  void peerRefusalsBecomeHttpExceptions() {
    // A damaged payload: the peer's imdecode fails and it answers 400, which the client reports.
    EncodedFrame bad = EncodedFrame.builder().payload(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2})
        .size(8, 8).channels(3).mode(frames.get(0).mode()).build();
    InferenceHttpException e = org.junit.jupiter.api.Assertions.assertThrows(InferenceHttpException.class,
        () -> client.detect(Framing.RAW, bad));
    assertEquals(400, e.statusCode());
    assertTrue(e.bodyExcerpt().contains("imdecode failed"), e.getMessage());
  }
}
