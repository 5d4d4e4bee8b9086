package org.framecodec.oip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.framecodec.PythonPeer;

/**
 * The protocol's Python peers of src/test/python (oip_peer.py for REST, oip_grpc_peer.py for
 * gRPC), run through {@link PythonPeer}: as servers of our front model, or as one-shot clients
 * whose printed answer is read back. A missing Python package fails with the install command,
 * never a skip.
 */
final class OipPeers {
  static final String INSTALL = "Install the peers with: apt-get install -y python3-opencv python3-flask"
      + " python3-crcmod python3-grpcio python3-grpc-tools (codec-bench/bin/setup-deps.sh)";

  private OipPeers() {}

  /** Starts {@code script serve --model <the front model>} and waits until it listens. */
  static PythonPeer.Server serveFrontModel(String script) throws IOException {
    return PythonPeer.server(script, INSTALL, "serve", "--model", OipTestData.frontModel().toAbsolutePath().toString());
  }

  /** Runs {@code script args...} to its end (at most 120 s); its standard output. */
  static String run(String script, String... args) {
    return PythonPeer.run(script, INSTALL, args);
  }

  /**
   * The detections in a peer client's printed answer ({@code {"outputs": {"detections": {"data":
   * [doc, ...]}}}}, each doc a DetectionsJson document of one frame).
   */
  static java.util.List<java.util.List<org.framecodec.detect.Detection>> detections(String printed) throws IOException {
    var json = new org.framecodec.transport.DetectionsJson();
    java.util.List<java.util.List<org.framecodec.detect.Detection>> out = new ArrayList<>();
    try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(printed)) {
      boolean inDetections = false;
      for (var t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && p.currentName().equals("detections")) {
          inDetections = true;
        } else if (inDetections && t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && p.currentName().equals("data")) {
          p.nextToken();
          while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
            byte[] doc = p.getText().getBytes(StandardCharsets.UTF_8);
            out.add(json.read(doc, 0, doc.length, 1).get(0));
          }
          return out;
        }
      }
    }
    throw new AssertionError("no detections output in: " + printed);
  }
}
