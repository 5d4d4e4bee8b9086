package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameCodecException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;

/**
 * Both backends give every hostile JPEG of the tests the same verdict: OpenCV's decoder, which
 * decodes past libjpeg warnings, is held to libjpeg-turbo's rules, and the scan and work limits
 * are counted before either decodes.
 */
class HostileJpegVerdictTest {

  /** "ok WxH" or the exception's simple class name. */
  private static String verdict(CodecBackend backend, byte[] jpeg) {
    try (JpegCodec codec = JpegCodec.open(backend)) {
      JpegInfo info = codec.readHeader(jpeg, 0, jpeg.length);
      PixelFormat format = info.components() == 1 ? PixelFormat.GRAY : PixelFormat.BGR;
      Frame f = codec.decode(jpeg, 0, jpeg.length, info.components() == 1 ? JpegMode.GRAY : JpegMode.YCBCR, format);
      return "ok " + f.width() + "x" + f.height();
    } catch (FrameCodecException e) {
      return e.getClass().getSimpleName();
    }
  }

  private static Map<String, byte[]> everyHostileFile() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>(HostileJpegs.all());
    files.put("fuzz-regression-no-sos-then-valid",
        Files.readAllBytes(Path.of("src/test/c/regressions/no-sos-then-valid.jpg")));
    files.put("scripted-74-scans-1080p", HostileJpegs.scriptedScans1080p(74));
    files.put("photo-baseline", HostileJpegs.photoJpeg());
    return files;
  }

  @Test
  void bothBackendsGiveEveryHostileFileTheSameVerdict() throws IOException {
    Map<String, String> turbo = new LinkedHashMap<>();
    Map<String, String> opencv = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : everyHostileFile().entrySet()) {
      turbo.put(e.getKey(), verdict(CodecBackend.TURBOJPEG, e.getValue()));
      opencv.put(e.getKey(), verdict(CodecBackend.OPENCV, e.getValue()));
    }
    assertEquals(turbo, opencv);
    // And the verdicts are the right ones, not merely equal.
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("truncated-bomb-629B-6320x6320", "CorruptPayloadException");
    expected.put("cut-in-half-no-eoi", "CorruptPayloadException");
    expected.put("cut-in-half-with-eoi", "CorruptPayloadException");
    expected.put("stray-restart-marker", "CorruptPayloadException");
    expected.put("fill-run-in-scan", "CorruptPayloadException");
    expected.put("complete-scan-without-eoi", "CorruptPayloadException");
    expected.put("scans-2080", "PayloadTooLargeException");
    expected.put("scans-496", "PayloadTooLargeException");
    expected.put("progressive-6320x6320-gray", "PayloadTooLargeException");
    expected.put("fuzz-regression-no-sos-then-valid", turbo.get("fuzz-regression-no-sos-then-valid"));
    expected.put("scripted-74-scans-1080p", "ok 1920x1080");
    expected.put("photo-baseline", "ok 1920x1080");
    assertEquals(expected, turbo);
  }

  @Test
  void theTruncatedBombIsRefusedOnOpenCvInsteadOfBecomingGrey() {
    byte[] bomb = HostileJpegs.truncatedBomb();
    assertEquals(629, bomb.length);
    try (JpegCodec codec = JpegCodec.open(CodecBackend.OPENCV)) {
      CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
          () -> codec.decode(bomb, 0, bomb.length, JpegMode.GRAY, PixelFormat.GRAY));
      assertTrue(e.getMessage().contains("declares 6320x6320 but holds 299 bytes of scan data, fewer than"
          + " the 78013 any Huffman-coded JPEG of that size needs"), e.getMessage());
    }
  }

  @Test
  void theTruncatedBombIsRefusedBeforeItsFrameIsAllocated() {
    byte[] bomb = HostileJpegs.truncatedBomb();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (CodecBackend backend : CodecBackend.values()) {
      try (JpegCodec codec = JpegCodec.open(backend)) {
        codec.readHeader(bomb, 0, bomb.length); // warm up the header path
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThrows(CorruptPayloadException.class,
            () -> codec.decode(bomb, 0, bomb.length, JpegMode.GRAY, PixelFormat.GRAY));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // The frame would be 40 MB (gray) and 120 MB (BGR); the refusal costs its message.
        assertTrue(allocated < 1 << 20, backend + " allocated " + allocated + " bytes");
      }
    }
  }

  @Test
  void aCutThatStillHasEnoughBytesIsLeftToTheDecodersAndRefusedByBoth() {
    byte[] full = HostileJpegs.bigGray();
    byte[] cut = java.util.Arrays.copyOf(full, full.length / 2 + 2);
    cut[cut.length - 2] = (byte) 0xFF;
    cut[cut.length - 1] = (byte) 0xD9;
    assertEquals("CorruptPayloadException", verdict(CodecBackend.TURBOJPEG, cut));
    assertEquals("CorruptPayloadException", verdict(CodecBackend.OPENCV, cut));
  }

  @Test
  void scanCountIsReadFromTheMarkers() {
    assertEquals(1, JpegHeaders.scanCount(HostileJpegs.photoJpeg(), 0, HostileJpegs.photoJpeg().length));
    byte[] many = HostileJpegs.manyScans(2080);
    assertEquals(2080, JpegHeaders.scanCount(many, 0, many.length));
    byte[] scripted = HostileJpegs.scriptedScans1080p(40);
    assertEquals(40, JpegHeaders.scanCount(scripted, 0, scripted.length));
    byte[] colour = HostileJpegs.progressive(org.framecodec.CorpusFrames.gradient(64, 48, 1));
    assertEquals(10, JpegHeaders.scanCount(colour, 0, colour.length));
    assertThrows(CorruptPayloadException.class, () -> JpegHeaders.scanCount(new byte[] {1, 2, 3}, 0, 3));
  }

  @Test
  void theWorkLimitCountsScansTimesPixelsAndNamesBoth() {
    byte[] scripted = HostileJpegs.scriptedScans1080p(40);
    long work = 40L * 1920 * 1080;
    Limits tight = Limits.builder().maxDecodeWork(work - 1).build();
    for (CodecBackend backend : CodecBackend.values()) {
      try (JpegCodec codec = JpegCodec.open(backend, tight)) {
        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
            () -> codec.decode(scripted, 0, scripted.length, JpegMode.GRAY, PixelFormat.GRAY));
        assertTrue(e.getMessage().contains("2073600 pixels in 40 scans"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(work - 1)), e.getMessage());
      }
      try (JpegCodec codec = JpegCodec.open(backend, Limits.builder().maxDecodeWork(work).build())) {
        assertEquals(1920, codec.decode(scripted, 0, scripted.length, JpegMode.GRAY, PixelFormat.GRAY).width());
      }
      try (JpegCodec codec = JpegCodec.open(backend, Limits.builder().maxScans(39).build())) {
        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
            () -> codec.decode(scripted, 0, scripted.length, JpegMode.GRAY, PixelFormat.GRAY));
        assertTrue(e.getMessage().contains("40 scans, more than the limit of 39"), e.getMessage());
      }
    }
  }
}
