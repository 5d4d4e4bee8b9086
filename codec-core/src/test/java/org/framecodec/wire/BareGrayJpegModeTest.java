package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;

/** Issue 14, finding 8: a plain grayscale JPEG decodes without being told its mode. */
class BareGrayJpegModeTest {

  @Test
  void aOneComponentJpegIsGrayWhateverTheBareMode() {
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      byte[] gray = codec.encode(CorpusFrames.gradient(64, 48, 5), EncodeOptions.gray(80));
      for (JpegMode bare : JpegMode.values()) {
        WireReader reader = new WireReader(org.framecodec.Limits.defaults(), bare);
        EncodedFrame f = reader.read(gray).single();
        assertEquals(JpegMode.GRAY, f.mode(), "bare mode " + bare);
        assertEquals(1, f.channels());
        Frame decoded = codec.decode(f, PixelFormat.GRAY);
        assertEquals(64, decoded.width());
        byte[] base64 = Base64Codec.encodeToString(gray).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(JpegMode.GRAY, reader.read(base64).single().mode(), "base64, bare mode " + bare);
      }
      byte[] colour = codec.encode(CorpusFrames.gradient(64, 48, 5), EncodeOptions.cv2Yuv(80));
      assertEquals(JpegMode.CV2_YUV, new WireReader().read(colour).single().mode(), "colour keeps the bare mode");
    }
  }
}
