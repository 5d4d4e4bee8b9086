package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;

/**
 * JavaCPP frees every pointer made inside a {@link PointerScope} when the scope closes, including
 * pointers a library allocates on the caller's behalf. A service that wraps its own OpenCV work
 * in a scope must not lose the codec's scratch memory with it.
 */
class OpenCvCodecPointerScopeTest {
  private static final EncodeOptions Q80 = EncodeOptions.cv2Yuv(80);

  @Test
  void scratchGrownInsideACallersScopeOutlivesTheScope() {
    Frame small = CorpusFrames.gradient(64, 48, 1);
    Frame large = CorpusFrames.gradient(640, 480, 2);
    try (JpegCodec reference = JpegCodec.open(CodecBackend.TURBOJPEG);
        JpegCodec codec = JpegCodec.open(CodecBackend.OPENCV)) {
      EncodedFrame expected = reference.encodeFrame(large, Q80);
      try (PointerScope scope = new PointerScope()) {
        codec.encodeFrame(small, Q80);
        assertEquals(expected, codec.encodeFrame(large, Q80), "inside the scope");
        codec.decode(expected, PixelFormat.BGR);
      }
      // The scope has closed and freed what was attached to it; the codec must still work.
      assertEquals(expected, codec.encodeFrame(large, Q80), "after the scope");
      Frame decoded = codec.decode(expected, PixelFormat.BGR);
      assertTrue(reference.decode(expected, PixelFormat.BGR).samePixels(decoded));
    }
  }

  @Test
  void aCodecOpenedInsideAScopeWorksAfterIt() {
    Frame frame = CorpusFrames.gradient(320, 240, 3);
    JpegCodec codec;
    EncodedFrame first;
    try (PointerScope scope = new PointerScope()) {
      codec = JpegCodec.open(CodecBackend.OPENCV);
      first = codec.encodeFrame(frame, Q80);
    }
    try (codec) {
      assertEquals(first, codec.encodeFrame(frame, Q80));
      assertEquals(240, codec.decode(first, PixelFormat.BGR).height());
    }
  }
}
