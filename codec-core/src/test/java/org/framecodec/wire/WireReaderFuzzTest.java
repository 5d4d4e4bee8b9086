package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.framecodec.FrameFormatException;
import org.framecodec.FuzzLimits;
import org.framecodec.codec.JpegMode;

/**
 * Coverage-guided fuzzing of {@link WireReader}, the entry point a service hands a request body
 * to: framing detection, then the raw container, JSON, base64 or bare JPEG path, under small
 * {@link FuzzLimits limits}.
 *
 * <p>Properties: any body either reads or raises the {@link FrameFormatException} family; the
 * array and stream readers agree; the framing reported is the one {@link Framing#detect} gives;
 * and an ASCII body read as text gives the same frames as read as bytes.
 */
class WireReaderFuzzTest {
  private static final WireReader READER = new WireReader(FuzzLimits.SMALL, JpegMode.CV2_YUV);

  @FuzzTest(maxDuration = "60s")
  void readAgreesAcrossSources(byte[] body) {
    WireMessage m;
    try {
      m = READER.read(body);
    } catch (FrameFormatException refused) {
      try {
        READER.read(new ByteArrayInputStream(body));
        throw new AssertionError("the stream reader accepted what the array reader refused");
      } catch (FrameFormatException expected) {
        return;
      }
    }
    assertEquals(Framing.detect(body, 0, body.length), m.framing());
    assertEquals(m, READER.read(new ByteArrayInputStream(body)), "stream reader");
    if (m.framing() == Framing.JSON && isAscii(body)) {
      assertEquals(m.frames(), READER.readText(new String(body, StandardCharsets.US_ASCII)).frames(),
          "text reader");
    }
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }
}
