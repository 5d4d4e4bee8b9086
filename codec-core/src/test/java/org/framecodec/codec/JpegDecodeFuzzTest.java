package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.framecodec.CorpusFrames;
import org.framecodec.FrameFormatException;
import org.framecodec.FuzzLimits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of JPEG decoding on both backends, with the bytes of a payload as
 * they would arrive from the network.
 *
 * <p>Property: for any bytes, a decode either returns a frame of the size the header declares or
 * throws the {@link FrameFormatException} family; anything else (an {@link
 * IllegalArgumentException} from the C checks, an {@code IndexOutOfBoundsException}, a crash of
 * the JVM) is a finding. Each input is decoded every way the payload allows: BGR in {@code
 * cv2-yuv} and {@code ycbcr} mode, GRAY, and I420 on TurboJPEG. One codec per backend serves
 * every input, and after each one it must still decode a reference payload to the same pixels
 * as at the start: a failure may not leave state behind (see the {@code no-sos-then-valid.jpg}
 * regression, a libjpeg-turbo header error that used to poison the next payload).
 *
 * <p>Normal {@code mvn test} runs the committed seeds (real payloads of every mode and
 * subsampling, under {@code JpegDecodeFuzzTestInputs/}) and any findings saved beside them;
 * {@code JAZZER_FUZZ=1} fuzzes one method for its {@code maxDuration} (see docs/reliability.md).
 */
class JpegDecodeFuzzTest {
  private static final JpegCodec TURBO = JpegCodec.open(CodecBackend.TURBOJPEG, FuzzLimits.SMALL);
  private static final byte[] REFERENCE = TURBO.encode(CorpusFrames.gradient(16, 16, 1), EncodeOptions.cv2Yuv(80));
  private static final Frame REFERENCE_PIXELS = TURBO.decode(REFERENCE, JpegMode.CV2_YUV);
  private static JpegCodec openCv;

  @AfterAll
  static void close() {
    TURBO.close();
    if (openCv != null) {
      openCv.close();
    }
  }

  @FuzzTest(maxDuration = "60s")
  void turboJpegDecode(byte[] payload) {
    decodeEveryWay(TURBO, payload);
    assertStillDecodesTheReference(TURBO);
  }

  @FuzzTest(maxDuration = "60s")
  void openCvDecode(byte[] payload) {
    if (openCv == null) {
      openCv = JpegCodec.open(CodecBackend.OPENCV, FuzzLimits.SMALL);
    }
    decodeEveryWay(openCv, payload);
    assertStillDecodesTheReference(openCv);
  }

  private static void assertStillDecodesTheReference(JpegCodec codec) {
    Frame again = codec.decode(REFERENCE, JpegMode.CV2_YUV);
    if (codec.backend() == CodecBackend.TURBOJPEG) {
      assertTrue(REFERENCE_PIXELS.samePixels(again), "the reference payload decodes differently after this input");
    } else {
      assertEquals(16, again.width(), "the reference payload decodes to another size after this input");
    }
  }

  private static void decodeEveryWay(JpegCodec codec, byte[] payload) {
    JpegInfo info;
    try {
      info = codec.readHeader(payload, 0, payload.length);
    } catch (FrameFormatException expected) {
      return;
    }
    decode(codec, payload, info, JpegMode.CV2_YUV, PixelFormat.BGR);
    decode(codec, payload, info, JpegMode.YCBCR, PixelFormat.RGB);
    decode(codec, payload, info, JpegMode.GRAY, PixelFormat.GRAY);
    if (codec.backend() == CodecBackend.TURBOJPEG && info.components() == 3
        && info.subsampling() == Subsampling.S420) {
      decode(codec, payload, info, JpegMode.YCBCR, PixelFormat.I420);
    }
  }

  private static void decode(JpegCodec codec, byte[] payload, JpegInfo info, JpegMode mode,
      PixelFormat format) {
    try {
      Frame f = codec.decode(payload, 0, payload.length, mode, format);
      assertEquals(info.width(), f.width(), "decoded width");
      assertEquals(info.height(), f.height(), "decoded height");
    } catch (PayloadTooLargeException e) {
      throw new AssertionError("the header passed readHeader's limits but decode refused it", e);
    } catch (FrameFormatException expected) {
      // Damaged or unsupported payloads are refused: the property holds.
    }
  }
}
