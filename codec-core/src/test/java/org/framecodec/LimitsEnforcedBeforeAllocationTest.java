package org.framecodec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.Base64Codec;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.JsonEnvelope;
import org.framecodec.wire.RawContainer;
import org.framecodec.wire.WireReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link Limits} limit, on every reader that takes untrusted bytes, refuses a small hostile
 * input that declares a huge size with {@link PayloadTooLargeException}, and does so before
 * allocating anything of that size: the bytes this thread allocates during the call are
 * measured ({@code com.sun.management.ThreadMXBean}) and must stay far below what the input
 * declares. The limits' messages are tested beside each reader; this test is about the memory.
 */
class LimitsEnforcedBeforeAllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final byte[] JPEG;
  private static final byte[] HUGE_JPEG; // its frame header says 60000x60000

  static {
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      JPEG = c.encode(CorpusFrames.gradient(64, 48, 1), EncodeOptions.cv2Yuv(80));
    }
    HUGE_JPEG = JPEG.clone();
    for (int i = 2; i + 8 < HUGE_JPEG.length; i++) {
      if ((HUGE_JPEG[i] & 0xFF) == 0xFF && (HUGE_JPEG[i + 1] & 0xFF) == 0xC0) {
        HUGE_JPEG[i + 5] = (byte) (60000 >> 8);
        HUGE_JPEG[i + 6] = (byte) 60000;
        HUGE_JPEG[i + 7] = (byte) (60000 >> 8);
        HUGE_JPEG[i + 8] = (byte) 60000;
        break;
      }
    }
  }

  /**
   * Runs {@code call}, which must throw PayloadTooLargeException, allocating fewer than
   * {@code maxBytes}. A first, unmeasured call loads the classes of the path (several MB the first
   * time, and never again), so the figure is what each hostile request costs.
   */
  private static void refusedWithin(long maxBytes, String what, org.junit.jupiter.api.function.Executable call) {
    assertThrows(PayloadTooLargeException.class, call, what);
    long tid = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(tid);
    PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class, call, what);
    long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < maxBytes, what + ": allocated " + allocated + " bytes before refusing ("
        + e.getMessage() + ")");
  }

  // ---------------------------------------------------------------- maxPixels

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void jpegHeaderOverMaxPixelsIsRefusedBeforeTheFrameIsAllocated(CodecBackend backend) {
    try (JpegCodec c = JpegCodec.open(backend)) {
      c.decode(JPEG, JpegMode.CV2_YUV); // warm up the class loading and scratch
      refusedWithin(256 << 10, backend + " decode", () -> c.decode(HUGE_JPEG, JpegMode.CV2_YUV));
      refusedWithin(256 << 10, backend + " decode to I420 or GRAY",
          () -> c.decode(HUGE_JPEG, 0, HUGE_JPEG.length, JpegMode.YCBCR, PixelFormat.GRAY));
    }
  }

  @Test
  void declaredFrameSizesOverMaxPixelsAreRefusedByEveryFraming() {
    WireReader reader = new WireReader();
    refusedWithin(256 << 10, "bare JPEG", () -> reader.read(HUGE_JPEG));
    refusedWithin(256 << 10, "base64 body", () -> reader.read(ascii(Base64Codec.encodeToString(HUGE_JPEG))));
    byte[] raw = new RawContainer().toBytes(EncodedFrame.of(JPEG, 60000, 60000, 3, JpegMode.CV2_YUV, 80));
    refusedWithin(256 << 10, "raw container frame", () -> reader.read(raw));
    byte[] json = ascii("{\"shape\": [60000, 60000, 3], \"mode\": \"cv2-yuv\", \"data\": \"/9j/\"}");
    refusedWithin(256 << 10, "JSON shape", () -> reader.read(json));
    byte[] npy = npyHeader("(60000, 60000, 3)");
    refusedWithin(256 << 10, ".npy stream", () -> Npy.read(new ByteArrayInputStream(npy)));
    refusedWithin(256 << 10, ".npy array", () -> Npy.read(npy));
  }

  @Test
  void aNpyStreamThatDeclaresMoreDataThanItSendsCostsOnlyWhatItSends() {
    // 6000x6000x3 = 108 MB is within the default pixel limit; the stream then ends after 100 bytes.
    byte[] header = npyHeader("(6000, 6000, 3)");
    byte[] npy = Arrays.copyOf(header, header.length + 100);
    assertThrows(CorruptPayloadException.class, () -> Npy.read(new ByteArrayInputStream(npy)));
    long tid = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(tid);
    assertThrows(CorruptPayloadException.class, () -> Npy.read(new ByteArrayInputStream(npy)));
    long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < 1 << 20, "a 100-byte .npy body made the reader allocate " + allocated + " bytes");
  }

  // ---------------------------------------------------------------- maxPayloadBytes

  @Test
  void payloadsOverMaxPayloadBytesAreRefusedBeforeTheyAreCopiedOrDecoded() {
    Limits limits = Limits.builder().maxPayloadBytes(1000).build();
    WireReader reader = new WireReader(limits, JpegMode.CV2_YUV);
    // A raw frame declaring a 4 GB payload, in a container of 40 bytes.
    byte[] raw = new RawContainer().toBytes(EncodedFrame.of(new byte[] {1}, 4, 4, 3, JpegMode.CV2_YUV, 80));
    ByteBuffer.wrap(raw).putInt(10 + 21, 0xFFFFFFF0);
    refusedWithin(64 << 10, "raw payload length", () -> new RawContainer().read(raw));
    // 300 KB of base64 for a 1000-byte limit: counted, never decoded.
    byte[] big = new byte[300_000];
    byte[] b64 = ascii(Base64Codec.encodeToString(big));
    refusedWithin(64 << 10, "base64 body", () -> reader.read(b64));
    // Text is copied (chars, then ASCII bytes) before the count: a cost proportional to the
    // document the caller already holds, which maxDocumentBytes bounds, not to what it declares.
    String text = new String(b64, StandardCharsets.US_ASCII);
    refusedWithin(5L * text.length(), "base64 text", () -> reader.readText(text));
    // The same inside JSON: Jackson's string constraint stops the text buffer early.
    byte[] json = ascii("{\"shape\": [4, 4, 3], \"mode\": \"cv2-yuv\", \"data\": \"" + new String(b64,
        StandardCharsets.US_ASCII) + "\"}");
    refusedWithin(256 << 10, "JSON data", () -> reader.read(json));
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG, Limits.builder().maxPayloadBytes(100).build())) {
      refusedWithin(64 << 10, "codec payload", () -> c.decode(JPEG, JpegMode.CV2_YUV));
    }
  }

  // ---------------------------------------------------------------- maxFramesPerBatch

  @Test
  void batchesOverMaxFramesPerBatchAreRefusedBeforeTheListIsAllocated() {
    byte[] raw = new RawContainer().toBytes(List.of());
    ByteBuffer.wrap(raw).putInt(6, 0xFFFFFFFF); // 4 billion frames declared, none present
    refusedWithin(64 << 10, "raw frame count", () -> new RawContainer().read(raw));
    JsonEnvelope strict = new JsonEnvelope(Limits.builder().maxFramesPerBatch(4).build(), JpegMode.CV2_YUV);
    String frame = "{\"shape\": [48, 64, 3], \"mode\": \"cv2-yuv\", \"data\": \"" + Base64Codec.encodeToString(JPEG) + "\"}";
    byte[] json = ascii("{\"frames\": [" + String.join(",", java.util.Collections.nCopies(1000, frame)) + "]}");
    // Refused at the fifth frame: what was allocated is four frames' worth, not a thousand.
    refusedWithin(5L * JPEG.length * 4 + (256 << 10), "JSON frames", () -> strict.read(json));
  }

  // ---------------------------------------------------------------- maxDocumentBytes

  @Test
  void endlessStreamsAreCutAtMaxDocumentBytes() {
    Limits limits = Limits.builder().maxDocumentBytes(1 << 20).build();
    // Each reader gets a body that never ends; it must stop just past the limit.
    refusedWithin(6 << 20, "WireReader stream",
        () -> new WireReader(limits, JpegMode.CV2_YUV).read(endless(new byte[] {(byte) 0x89, 'F', 'C', 'R'})));
    refusedWithin(6 << 20, "RawContainer stream", () -> new RawContainer(limits).read(endless(new byte[] {(byte) 0x89})));
    refusedWithin(6 << 20, "JsonEnvelope stream",
        () -> new JsonEnvelope(limits, JpegMode.CV2_YUV).read(endless(ascii("{\"x\": \""))));
    byte[] json = new byte[(1 << 20) + 1];
    Arrays.fill(json, (byte) ' ');
    json[0] = '{';
    refusedWithin(64 << 10, "JsonEnvelope array", () -> new JsonEnvelope(limits, JpegMode.CV2_YUV).read(json));
    refusedWithin(64 << 10, "RawContainer array", () -> new RawContainer(limits).read(json));
  }

  // ---------------------------------------------------------------- maxNesting

  @Test
  void jsonNestedDeeperThanMaxNestingIsRefused() {
    String deep = "[".repeat(100_000);
    byte[] json = ascii("{\"unknown\": " + deep);
    refusedWithin(1 << 20, "nesting", () -> new JsonEnvelope().read(json));
    refusedWithin(1 << 20, "nesting via WireReader", () -> new WireReader().read(json));
  }

  private static InputStream endless(byte[] prefix) {
    InputStream filler = new InputStream() {
      @Override
      public int read() {
        return 'A';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        Arrays.fill(b, off, off + len, (byte) 'A');
        return len;
      }
    };
    return new SequenceInputStream(new ByteArrayInputStream(prefix), filler);
  }

  /** A version 1.0 .npy header declaring {@code shape}, with no data. */
  private static byte[] npyHeader(String shape) {
    String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = 10 + dict.length() + 1;
    dict += " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + dict.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dict.length());
    b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
