package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.framecodec.CorpusFrames;
import org.framecodec.FrameFormatException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decoding at 1/2, 1/4 and 1/8 of a payload's size: the size rule, agreement between the two
 * backends, closeness to a full decode shrunk by area averaging (what the DCT scaling
 * approximates), the cv2-yuv transform on the small image, and the guards.
 */
class ScaledDecodeTest {

  @ParameterizedTest
  @CsvSource({"FULL, 1920, 1080", "HALF, 960, 540", "QUARTER, 480, 270", "EIGHTH, 240, 135"})
  void sizesFollowTheRoundUpRule(DecodeScale scale, int w, int h) {
    assertEquals(w, scale.scale(1920));
    assertEquals(h, scale.scale(1080));
    assertEquals(1, scale.scale(1));
    assertEquals(5, DecodeScale.EIGHTH.scale(33));
    assertEquals(DecodeScale.EIGHTH, DecodeScale.coarsestCovering(1920, 1080, 128, 72));
    assertEquals(DecodeScale.QUARTER, DecodeScale.coarsestCovering(1920, 1080, 256, 144));
    assertEquals(DecodeScale.FULL, DecodeScale.coarsestCovering(100, 100, 128, 128));
    assertEquals(scale, DecodeScale.ofDenominator(scale.denominator()));
  }

  @ParameterizedTest
  @EnumSource(value = DecodeScale.class, names = {"HALF", "QUARTER", "EIGHTH"})
  void bothBackendsDecodeScaledAlikeAndCloseToAnAreaShrunkFullDecode(DecodeScale scale) {
    Frame photo = CorpusFrames.photo("kite-sky-1080p.png");
    for (EncodeOptions options : new EncodeOptions[] {EncodeOptions.cv2Yuv(80),
        EncodeOptions.ycbcr(80, Subsampling.S420)}) {
      try (JpegCodec turbo = JpegCodec.open(CodecBackend.TURBOJPEG);
          JpegCodec cv = JpegCodec.open(CodecBackend.OPENCV)) {
        EncodedFrame payload = turbo.encodeFrame(photo, options);
        Frame small = turbo.decode(payload, scale, PixelFormat.BGR);
        assertEquals(scale.scale(1920), small.width());
        assertEquals(scale.scale(1080), small.height());
        Frame viaOpenCv = cv.decode(payload, scale, PixelFormat.BGR);
        double agree = FrameMetrics.psnr(small, viaOpenCv);
        assertTrue(agree > 40, options + " " + scale + ": the backends differ, PSNR " + agree);
        Frame reference = areaShrink(turbo.decode(payload, PixelFormat.BGR), small.width(), small.height());
        double psnr = FrameMetrics.psnr(reference, small);
        assertTrue(psnr > 30, options + " " + scale + ": PSNR " + psnr + " against the area-shrunk full decode");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void grayAndRgbOutputsAndCallerFramesWork(CodecBackend backend) {
    Frame photo = CorpusFrames.photo("moss-1080p.png");
    try (JpegCodec codec = JpegCodec.open(backend)) {
      EncodedFrame gray = codec.encodeFrame(photo, EncodeOptions.gray(70));
      Frame g = codec.decode(gray, DecodeScale.QUARTER, PixelFormat.GRAY);
      assertEquals(480, g.width());
      EncodedFrame colour = codec.encodeFrame(photo, EncodeOptions.cv2Yuv(70));
      Frame bgr = codec.decode(colour, DecodeScale.HALF, PixelFormat.BGR);
      Frame rgb = Frame.allocateDirect(PixelFormat.RGB, 960, 540);
      codec.decodeInto(colour, DecodeScale.HALF, rgb);
      byte[] b = bgr.toByteArray();
      byte[] r = rgb.toByteArray();
      for (int i = 0; i < b.length; i += 3) {
        assertEquals(b[i], r[i + 2], "B and R swap at byte " + i);
        assertEquals(b[i + 1], r[i + 1]);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void aDestinationOfTheWrongSizeAndPlanarOutputAreRefused(CodecBackend backend) {
    try (JpegCodec codec = JpegCodec.open(backend)) {
      EncodedFrame payload = codec.encodeFrame(CorpusFrames.gradient(64, 48, 1), EncodeOptions.cv2Yuv(80));
      FrameFormatException e = assertThrows(FrameFormatException.class,
          () -> codec.decodeInto(payload, DecodeScale.EIGHTH, Frame.allocate(PixelFormat.BGR, 64, 48)));
      assertEquals("payload is 64x48, 8x6 at 1/8 but the destination frame is 64x48", e.getMessage());
      IllegalArgumentException planar = assertThrows(IllegalArgumentException.class,
          () -> codec.decodeInto(payload, DecodeScale.HALF, Frame.allocate(PixelFormat.I420, 32, 24)));
      assertTrue(planar.getMessage().contains("I420"), planar.getMessage());
      IllegalArgumentException denominator = assertThrows(IllegalArgumentException.class,
          () -> DecodeScale.ofDenominator(3));
      assertEquals("decode scale must be 1/1, 1/2, 1/4 or 1/8, got 1/3", denominator.getMessage());
    }
  }

  private static Frame areaShrink(Frame f, int w, int h) {
    Mat src = new Mat(f.height(), f.width(), opencv_core.CV_8UC3, new BytePointer(f.toByteArray()));
    Mat dst = new Mat();
    opencv_imgproc.resize(src, dst, new Size(w, h), 0, 0, opencv_imgproc.INTER_AREA);
    byte[] px = new byte[w * h * 3];
    dst.data().get(px);
    return Frame.wrap(px, PixelFormat.BGR, w, h);
  }
}
