package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.framecodec.FrameFormatException;
import org.framecodec.FuzzLimits;
import org.framecodec.codec.EncodedFrame;

/**
 * Coverage-guided fuzzing of {@link RawContainer#read}, under small {@link FuzzLimits limits}.
 *
 * <p>A mutated container almost never keeps a valid CRC-32C, which would stop the fuzzer at the
 * trailer; so each input is read twice: as it came, and with its last four bytes replaced by the
 * right CRC, which lets the mutations reach every frame field. Properties: either read succeeds
 * or raises the {@link FrameFormatException} family; the array and stream readers agree; and
 * what was read writes back to exactly the bytes it came from (the layout has one encoding per
 * value, so a reader that accepts two spellings of one container is a finding).
 */
class RawContainerFuzzTest {
  private static final RawContainer RAW = new RawContainer(FuzzLimits.SMALL);

  @FuzzTest(maxDuration = "60s")
  void readAgreesAcrossSourcesAndRoundTrips(byte[] data) {
    check(data);
    if (data.length >= RawContainer.HEADER_BYTES + RawContainer.CRC_BYTES) {
      byte[] fixed = Arrays.copyOf(data, data.length);
      CRC32C crc = new CRC32C();
      crc.update(fixed, 0, fixed.length - 4);
      int v = (int) crc.getValue();
      for (int i = 0; i < 4; i++) {
        fixed[fixed.length - 4 + i] = (byte) (v >>> (24 - 8 * i));
      }
      check(fixed);
    }
  }

  private static void check(byte[] data) {
    List<EncodedFrame> frames;
    try {
      frames = RAW.read(data);
    } catch (FrameFormatException refused) {
      try {
        RAW.read(new ByteArrayInputStream(data));
        throw new AssertionError("the stream reader accepted what the array reader refused");
      } catch (FrameFormatException expected) {
        return;
      }
    }
    assertEquals(frames, RAW.read(new ByteArrayInputStream(data)), "stream reader");
    assertArrayEquals(data, RAW.toBytes(frames), "a container writes back to its own bytes");
  }
}
