package org.framecodec.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.framecodec.FrameFormatException;
import org.framecodec.FuzzLimits;

/**
 * Coverage-guided fuzzing of {@link Npy#read}: the {@code .npy} header parser (a subset of
 * Python literal syntax) and the shape checks, under small {@link FuzzLimits limits}.
 *
 * <p>Properties: any bytes either read or raise the {@link FrameFormatException} family; the
 * array and stream readers agree on format, size and pixels.
 */
class NpyFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void readAgreesAcrossSources(byte[] npy) {
    Frame f;
    try {
      f = Npy.read(npy, 0, npy.length, PixelFormat.BGR, FuzzLimits.SMALL);
    } catch (FrameFormatException refused) {
      try {
        Npy.read(new ByteArrayInputStream(npy), PixelFormat.BGR, FuzzLimits.SMALL);
        throw new AssertionError("the stream reader accepted what the array reader refused");
      } catch (FrameFormatException expected) {
        return;
      }
    }
    Frame s = Npy.read(new ByteArrayInputStream(npy), PixelFormat.BGR, FuzzLimits.SMALL);
    assertEquals(f.format(), s.format());
    assertEquals(f.width(), s.width());
    assertEquals(f.height(), s.height());
    assertArrayEquals(f.toByteArray(), s.toByteArray());
  }
}
