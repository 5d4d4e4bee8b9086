package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.framecodec.FrameFormatException;
import org.framecodec.FuzzLimits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;

/**
 * Coverage-guided fuzzing of {@link JsonEnvelope#read}: envelopes, batches and bare strings as a
 * peer could send them, under small {@link FuzzLimits limits}.
 *
 * <p>Properties: any bytes either read or raise the {@link FrameFormatException} family; the
 * array and stream readers agree; and what was read survives a write and a second read
 * unchanged. The payloads are not JPEG-checked here (the envelope carries them opaquely).
 */
class JsonEnvelopeFuzzTest {
  private static final JsonEnvelope JSON = new JsonEnvelope(FuzzLimits.SMALL, JpegMode.CV2_YUV);

  @FuzzTest(maxDuration = "60s")
  void readAgreesAcrossSourcesAndRoundTrips(byte[] document) {
    List<EncodedFrame> frames;
    try {
      frames = JSON.read(document);
    } catch (FrameFormatException refused) {
      try {
        JSON.read(new ByteArrayInputStream(document));
        throw new AssertionError("the stream reader accepted what the array reader refused");
      } catch (FrameFormatException expected) {
        return;
      }
    }
    assertEquals(frames, JSON.read(new ByteArrayInputStream(document)), "stream reader");
    if (frames.size() == 1) {
      assertEquals(frames, JSON.read(JSON.toBytes(frames.get(0))), "single frame round trip");
    }
    assertEquals(frames, JSON.read(JSON.batchToBytes(frames)), "batch round trip");
  }
}
