package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.Luma;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend x mode x subsampling on the three 1080p photographs, at quality 90, must come
 * back above a PSNR floor. The floors sit a few dB under what a correct codec reaches on these
 * photos; swapped channels, a wrong colour transform or a broken stride land far below them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpegCodecRoundTripTest {
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

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (CodecBackend b : CodecBackend.values()) {
      for (String photo : CorpusFrames.PHOTOS) {
        for (Subsampling s : Subsampling.values()) {
          out.add(Arguments.of(b, photo, EncodeOptions.ycbcr(90, s), PixelFormat.BGR));
          out.add(Arguments.of(b, photo, EncodeOptions.of(JpegMode.CV2_YUV, 90, s), PixelFormat.BGR));
        }
        out.add(Arguments.of(b, photo, EncodeOptions.gray(90), PixelFormat.GRAY));
      }
    }
    return out.stream();
  }

  /** PSNR floors in dB at quality 90, per photo and mode (measured values are 2-4 dB higher). */
  private static double floor(String photo, EncodeOptions o) {
    boolean moss = photo.startsWith("moss");
    return switch (o.mode()) {
      case YCBCR -> moss ? 27 : 33;
      case CV2_YUV -> moss ? 22 : 27;
      case GRAY -> moss ? 30 : 38;
    };
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void roundTripStaysAbovePsnrFloor(CodecBackend backend, String photo, EncodeOptions options,
      PixelFormat out) {
    Frame src = CorpusFrames.photo(photo);
    JpegCodec c = codec(backend);
    byte[] jpeg = c.encode(src, options);
    Frame decoded = c.decode(jpeg, 0, jpeg.length, options.mode(), out);
    Frame reference = out == PixelFormat.GRAY ? Luma.of(src) : src;
    double psnr = FrameMetrics.psnr(reference, decoded);
    assertTrue(psnr >= floor(photo, options),
        backend + " " + photo + " " + options + ": PSNR " + psnr + " dB is below " + floor(photo, options));
    assertTrue(jpeg.length < src.byteSize() / 4, "q90 payload of " + jpeg.length + " bytes is not compressed");
  }

  @ParameterizedTest(name = "{0} decodes what {1} encodes")
  @MethodSource("backendPairs")
  void eachBackendDecodesWhatTheOtherEncodes(CodecBackend encoder, CodecBackend decoder) {
    Frame src = CorpusFrames.photo("kite-sky-1080p.png");
    for (EncodeOptions o : List.of(EncodeOptions.cv2Yuv(80), EncodeOptions.ycbcr(80, Subsampling.S444),
        EncodeOptions.ycbcr(80, Subsampling.S422), EncodeOptions.gray(80))) {
      byte[] jpeg = codec(encoder).encode(src, o);
      PixelFormat out = o.mode() == JpegMode.GRAY ? PixelFormat.GRAY : PixelFormat.BGR;
      Frame byEncoder = codec(encoder).decode(jpeg, 0, jpeg.length, o.mode(), out);
      Frame byOther = codec(decoder).decode(jpeg, 0, jpeg.length, o.mode(), out);
      // Same libjpeg-turbo underneath; the colour transforms may round differently by a level.
      int diff = FrameMetrics.maxAbsDifference(byEncoder, byOther);
      assertTrue(diff <= 2, o + ": backends disagree by " + diff + " levels");
    }
  }

  static Stream<Arguments> backendPairs() {
    return Stream.of(Arguments.of(CodecBackend.TURBOJPEG, CodecBackend.OPENCV),
        Arguments.of(CodecBackend.OPENCV, CodecBackend.TURBOJPEG));
  }

  @Test
  void rgbFramesEncodeLikeTheirBgrTwin() {
    Frame bgr = CorpusFrames.gradient(320, 240, 7);
    Frame rgb = swapRedBlue(bgr, PixelFormat.RGB);
    for (EncodeOptions o : List.of(EncodeOptions.cv2Yuv(75), EncodeOptions.ycbcr(75, Subsampling.S420))) {
      assertArrayEquals(turbo.encode(bgr, o), turbo.encode(rgb, o), o.toString());
      byte[] jpeg = turbo.encode(bgr, o);
      Frame asRgb = turbo.decode(jpeg, 0, jpeg.length, o.mode(), PixelFormat.RGB);
      Frame asBgr = turbo.decode(jpeg, 0, jpeg.length, o.mode(), PixelFormat.BGR);
      assertTrue(swapRedBlue(asRgb, PixelFormat.BGR).samePixels(asBgr), o.toString());
    }
  }

  @Test
  void croppedAndPaddedFramesEncodeLikeTheirTightCopy() {
    Frame full = CorpusFrames.photo("evening-glow-1080p.png");
    Frame crop = full.crop(101, 37, 640, 360);
    Frame tight = Frame.wrap(crop.toByteArray(), PixelFormat.BGR, 640, 360);
    for (JpegCodec c : List.of(turbo, opencv)) {
      assertArrayEquals(c.encode(tight, EncodeOptions.cv2Yuv(80)), c.encode(crop, EncodeOptions.cv2Yuv(80)),
          c.backend().toString());
    }
    // Decode into a padded destination inside a larger direct buffer.
    byte[] jpeg = turbo.encode(tight, EncodeOptions.ycbcr(85, Subsampling.S444));
    ByteBuffer big = ByteBuffer.allocateDirect(64 + 700 * 3 * 360);
    Frame padded = Frame.wrap(big, 64, 700 * 3, PixelFormat.BGR, 640, 360);
    turbo.decodeInto(jpeg, 0, jpeg.length, JpegMode.YCBCR, padded);
    Frame plain = turbo.decode(jpeg, 0, jpeg.length, JpegMode.YCBCR, PixelFormat.BGR);
    assertTrue(plain.samePixels(padded));
    assertEquals(0, big.get(0), "bytes before the frame's offset were written");
  }

  @Test
  void encodesIntoAndDecodesFromDirectBuffers() {
    Frame src = CorpusFrames.gradient(256, 144, 3);
    Frame direct = Frame.allocateDirect(PixelFormat.BGR, 256, 144);
    direct.buffer().put(0, src.array());
    EncodeOptions o = EncodeOptions.cv2Yuv(90);
    for (JpegCodec c : List.of(turbo, opencv)) {
      ByteBuffer out = ByteBuffer.allocateDirect(c.maxEncodedSize(256, 144, o) + 10);
      out.position(10);
      int n = c.encode(direct, o, out);
      assertEquals(10 + n, out.position());
      byte[] expected = c.encode(src, o);
      byte[] got = new byte[n];
      out.get(10, got);
      assertArrayEquals(expected, got, c.backend().toString());
      out.flip().position(10);
      Frame decoded = c.decode(out, JpegMode.CV2_YUV, PixelFormat.BGR);
      // The recipe subsamples real luma: ~27 dB on this noisy gradient is its nature.
      assertTrue(FrameMetrics.psnr(src, decoded) > 25, c.backend().toString());
    }
  }

  @Test
  void planarI420AndNv12EncodeFromThePlanesWithoutColourConversion() {
    Frame src = CorpusFrames.photo("kite-sky-1080p.png");
    byte[] jpeg = turbo.encode(src, EncodeOptions.ycbcr(95, Subsampling.S420));
    // Decoding to I420 yields the JPEG's own planes; re-encoding them must not shift colour.
    Frame i420 = turbo.decode(jpeg, 0, jpeg.length, JpegMode.YCBCR, PixelFormat.I420);
    Frame nv12 = toNv12(i420);
    byte[] fromI420 = turbo.encode(i420, EncodeOptions.ycbcr(95, Subsampling.S420));
    byte[] fromNv12 = turbo.encode(nv12, EncodeOptions.ycbcr(95, Subsampling.S420));
    assertArrayEquals(fromI420, fromNv12, "NV12 and I420 of the same planes must give the same JPEG");
    Frame again = turbo.decode(fromI420, 0, fromI420.length, JpegMode.YCBCR, PixelFormat.I420);
    assertTrue(FrameMetrics.psnr(i420, again) > 40, "I420 round trip PSNR " + FrameMetrics.psnr(i420, again));
    Frame bgr = turbo.decode(fromI420, 0, fromI420.length, JpegMode.YCBCR, PixelFormat.BGR);
    assertTrue(FrameMetrics.psnr(src, bgr) > 33, "I420 -> BGR PSNR " + FrameMetrics.psnr(src, bgr));
    // Gray mode takes the Y plane as is.
    byte[] gray = turbo.encode(nv12, EncodeOptions.gray(95));
    Frame y = turbo.decode(gray, 0, gray.length, JpegMode.GRAY, PixelFormat.GRAY);
    Frame yPlane = Frame.wrap(i420.array(), 0, i420.rowStride(), PixelFormat.GRAY, i420.width(), i420.height());
    assertTrue(FrameMetrics.psnr(yPlane, y) > 40);
  }

  @Test
  void oddSizedFramesRoundTripInEveryMode() {
    Frame src = CorpusFrames.gradient(333, 77, 11);
    for (EncodeOptions o : List.of(EncodeOptions.cv2Yuv(95), EncodeOptions.ycbcr(95, Subsampling.S420),
        EncodeOptions.ycbcr(95, Subsampling.S422), EncodeOptions.ycbcr(95, Subsampling.S444))) {
      byte[] jpeg = turbo.encode(src, o);
      JpegInfo info = turbo.readHeader(jpeg, 0, jpeg.length);
      assertEquals(333, info.width());
      assertEquals(77, info.height());
      assertEquals(o.subsampling(), info.subsampling());
      Frame back = turbo.decode(jpeg, 0, jpeg.length, o.mode(), PixelFormat.BGR);
      // Chroma noise in this synthetic frame is lost to 4:2:0, so the floors are modest.
      double floor = o.mode() == JpegMode.CV2_YUV ? 25 : 27;
      assertTrue(FrameMetrics.psnr(src, back) > floor, o + " PSNR " + FrameMetrics.psnr(src, back));
    }
    byte[] jpeg = turbo.encode(src, EncodeOptions.ycbcr(95, Subsampling.S420));
    Frame i420 = turbo.decode(jpeg, 0, jpeg.length, JpegMode.YCBCR, PixelFormat.I420);
    assertEquals(333 * 77 + 2 * 167 * 39, i420.byteSize());
  }

  @Test
  void maxEncodedSizeMatchesLibjpegTurboAndBoundsWorstCaseNoise() {
    for (int[] wh : new int[][] {{1, 1}, {17, 9}, {1920, 1080}, {3840, 2160}}) {
      for (Subsampling s : Subsampling.values()) {
        assertEquals(TurboJpegCodec.nativeBufSize(wh[0], wh[1], s, false),
            JpegSizes.maxEncodedSize(wh[0], wh[1], EncodeOptions.ycbcr(50, s)));
      }
      assertEquals(TurboJpegCodec.nativeBufSize(wh[0], wh[1], null, true),
          JpegSizes.maxEncodedSize(wh[0], wh[1], EncodeOptions.gray(50)));
    }
    Frame noise = CorpusFrames.noise(PixelFormat.BGR, 256, 256, 1);
    EncodeOptions worst = EncodeOptions.ycbcr(100, Subsampling.S444);
    for (JpegCodec c : List.of(turbo, opencv)) {
      int n = c.encode(noise, worst).length;
      assertTrue(n <= c.maxEncodedSize(256, 256, worst));
      assertTrue(n > 256 * 256 * 3, "q100 noise should not compress; got " + n);
    }
  }

  static Frame swapRedBlue(Frame f, PixelFormat as) {
    byte[] px = f.toByteArray();
    for (int i = 0; i < px.length; i += 3) {
      byte t = px[i];
      px[i] = px[i + 2];
      px[i + 2] = t;
    }
    return Frame.wrap(px, as, f.width(), f.height());
  }

  static Frame toNv12(Frame i420) {
    int w = i420.width();
    int h = i420.height();
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    byte[] src = i420.toByteArray();
    byte[] out = new byte[w * h + 2 * cw * ch];
    System.arraycopy(src, 0, out, 0, w * h);
    for (int i = 0; i < cw * ch; i++) {
      out[w * h + 2 * i] = src[w * h + i];
      out[w * h + 2 * i + 1] = src[w * h + cw * ch + i];
    }
    return Frame.wrap(out, PixelFormat.NV12, w, h);
  }
}
