package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.framecodec.CorruptPayloadException;
import org.framecodec.detect.Detection;

/**
 * Coverage-guided fuzzing of {@link DetectionsJson#read}, the parser of what an inference service
 * answers: the one decoder of untrusted bytes on the client side of the transport.
 *
 * <p>Properties, for any bytes: each read either returns detections or raises
 * {@link CorruptPayloadException} (never another exception, a hang or unbounded memory: the reader
 * here caps frames at 3 and detections at 16 per frame); at most one expected frame count is
 * accepted, the one the document holds; and what was read writes and reads back unchanged.
 */
class DetectionsJsonFuzzTest {
  private static final int MAX_FRAMES = 3;
  private static final DetectionsJson JSON = new DetectionsJson(16);

  @FuzzTest(maxDuration = "60s")
  void readRefusesOrRoundTrips(byte[] document) {
    List<List<Detection>> accepted = null;
    for (int expected = 0; expected <= MAX_FRAMES; expected++) {
      List<List<Detection>> frames;
      try {
        frames = JSON.read(document, 0, document.length, expected);
      } catch (CorruptPayloadException refused) {
        continue;
      }
      if (accepted != null) {
        throw new AssertionError("read as " + accepted.size() + " and as " + expected + " frames");
      }
      assertEquals(expected, frames.size(), "frame count");
      accepted = frames;
    }
    if (accepted == null) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JSON.write(accepted, out);
    byte[] again = out.toByteArray();
    assertEquals(accepted, JSON.read(again, 0, again.length, accepted.size()), "write, then read");
  }
}
