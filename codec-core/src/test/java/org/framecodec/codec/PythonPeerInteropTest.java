package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.PythonPeer;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Wire compatibility with the real Python peer (Debian python3-opencv 4.6 on the system
 * libjpeg-turbo 2.1.5, the library the shim links): the peer's cv2-yuv payloads equal ours byte
 * for byte, and each side decodes the other's within 2 levels per pixel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonPeerInteropTest {
  private static final int[] QUALITIES = {20, 50, 80, 95};
  @TempDir Path tmp;
  private JpegCodec turbo;
  private JpegCodec opencv;

  @BeforeAll
  void open() {
    turbo = JpegCodec.open(CodecBackend.TURBOJPEG);
    opencv = JpegCodec.open(CodecBackend.OPENCV);
  }

  @AfterAll
  void close() {
    turbo.close();
    opencv.close();
  }

  private JpegCodec codec(CodecBackend b) {
    return b == CodecBackend.TURBOJPEG ? turbo : opencv;
  }

  private List<Frame> frames() {
    return List.of(CorpusFrames.photo("evening-glow-1080p.png"), CorpusFrames.photo("moss-1080p.png"),
        CorpusFrames.noise(PixelFormat.BGR, 641, 363, 42), CorpusFrames.noise(PixelFormat.BGR, 64, 48, 43));
  }

  private String pythonEncode(Frame f, int quality) throws Exception {
    Path raw = tmp.resolve("in.raw");
    Path out = tmp.resolve("out.b64");
    Files.write(raw, f.toByteArray());
    PythonPeer.recipe("encode", raw.toString(), String.valueOf(f.height()), String.valueOf(f.width()),
        String.valueOf(quality), out.toString());
    return Files.readString(out, StandardCharsets.US_ASCII);
  }

  private Frame pythonDecode(String command, String text, int width, int height) throws Exception {
    Path in = tmp.resolve("in.txt");
    Path raw = tmp.resolve("out.raw");
    Files.writeString(in, text, StandardCharsets.UTF_8);
    String shape = PythonPeer.recipe(command, in.toString(), raw.toString()).trim();
    assertEquals(height + " " + width, shape, "peer decoded a different shape");
    return Frame.wrap(Files.readAllBytes(raw), PixelFormat.BGR, width, height);
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void cv2YuvPayloadIsByteIdenticalToThePeers(CodecBackend backend) throws Exception {
    for (Frame f : frames()) {
      for (int q : QUALITIES) {
        byte[] ours = codec(backend).encode(f, EncodeOptions.cv2Yuv(q));
        byte[] theirs = Base64.getDecoder().decode(pythonEncode(f, q));
        assertArrayEquals(theirs, ours, backend + " " + f + " q" + q + ": " + ours.length
            + " bytes vs the peer's " + theirs.length);
      }
    }
  }

  @Test
  void peerDecodesOurBase64PayloadWithinTwoLevels() throws Exception {
    for (Frame f : frames()) {
      byte[] jpeg = turbo.encode(f, EncodeOptions.cv2Yuv(80));
      String b64 = Base64.getEncoder().encodeToString(jpeg);
      Frame theirs = pythonDecode("decode", b64, f.width(), f.height());
      Frame ours = turbo.decode(jpeg, JpegMode.CV2_YUV);
      int diff = FrameMetrics.maxAbsDifference(ours, theirs);
      assertTrue(diff <= 2, f + ": peer and Java decodes differ by " + diff + " levels");
      if (f.width() == 1920) { // photos only: uniform noise has no PSNR floor worth stating
        assertTrue(FrameMetrics.psnr(f, theirs) > 25, "peer's decode is not the frame we sent");
      }
    }
  }

  @Test
  void peerDecodesOurJsonEnvelope() throws Exception {
    Frame f = CorpusFrames.photo("kite-sky-1080p.png");
    byte[] jpeg = turbo.encode(f, EncodeOptions.cv2Yuv(80));
    String json = "{\"shape\":[1080,1920,3],\"mode\":\"cv2-yuv\",\"quality\":80,\"data\":\""
        + Base64.getEncoder().encodeToString(jpeg) + "\"}";
    Frame theirs = pythonDecode("decode-json", json, f.width(), f.height());
    assertTrue(FrameMetrics.maxAbsDifference(turbo.decode(jpeg, JpegMode.CV2_YUV), theirs) <= 2);
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void weDecodeThePeersPayloadWithinTwoLevels(CodecBackend backend) throws Exception {
    for (Frame f : frames()) {
      String b64 = pythonEncode(f, 80);
      Frame theirs = pythonDecode("decode", b64, f.width(), f.height());
      byte[] jpeg = Base64.getDecoder().decode(b64);
      Frame ours = codec(backend).decode(jpeg, JpegMode.CV2_YUV);
      int diff = FrameMetrics.maxAbsDifference(ours, theirs);
      assertTrue(diff <= 2, backend + " " + f + ": decodes differ by " + diff + " levels");
    }
  }
}
