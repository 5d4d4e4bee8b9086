package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parallel encode and decode on real pixels: results in input order and byte-identical to a
 * single codec, per-item failures that leave the rest intact, buffer reuse, and the lifecycle.
 */
class ParallelBatchCodecTest {
  private static final EncodeOptions Q80 = EncodeOptions.cv2Yuv(80);
  private static final int W = 320;
  private static final int H = 240;

  private static JpegCodec single;
  private static List<Frame> frames;
  private static List<EncodedFrame> expected;

  @BeforeAll
  static void setUp() {
    single = JpegCodec.open(CodecBackend.TURBOJPEG);
    frames = new ArrayList<>();
    expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Frame f = CorpusFrames.gradient(W, H, 1000 + i);
      frames.add(f);
      expected.add(single.encodeFrame(f, Q80));
    }
  }

  @AfterAll
  static void tearDown() {
    single.close();
  }

  @Test
  void encodeReturnsPayloadsInInputOrderIdenticalToOneCodec() {
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(3).build()) {
      BatchResult<EncodedFrame> r = codec.encode(frames, Q80);
      assertEquals(frames.size(), r.size());
      assertEquals(0, r.failureCount());
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(expected.get(i), r.get(i), "frame " + i);
        assertEquals(r.get(i).payloadLength(), r.get(i).payloadArray().length, "exact-size copy");
      }
      assertTrue(r.elapsedNanos() > 0);
    }
  }

  @Test
  void encodeIntoReusesTheSlotBuffers() {
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).build()) {
      EncodedBatch batch = codec.encode(frames, Q80, null);
      assertEquals(frames.size(), batch.size());
      byte[][] first = new byte[frames.size()][];
      for (int i = 0; i < frames.size(); i++) {
        first[i] = batch.frame(i).payloadArray();
        assertEquals(expected.get(i), batch.frame(i));
        assertEquals(0, batch.frame(i).payloadOffset());
      }
      long retained = batch.retainedBytes();
      assertEquals(frames.size() * (long) single.maxEncodedSize(W, H, Q80), retained);

      List<Frame> reversed = new ArrayList<>(frames);
      java.util.Collections.reverse(reversed);
      assertSame(batch, codec.encode(reversed, Q80, batch));
      assertEquals(retained, batch.retainedBytes(), "no slot grew");
      for (int i = 0; i < frames.size(); i++) {
        assertSame(first[i], batch.frame(i).payloadArray(), "slot " + i + " reused");
        assertEquals(expected.get(frames.size() - 1 - i), batch.frame(i));
      }
      long total = expected.stream().mapToLong(EncodedFrame::payloadLength).sum();
      assertEquals(total, batch.totalBytes());

      codec.encode(frames.subList(0, 2), Q80, batch);
      assertEquals(2, batch.size(), "a smaller batch shrinks the view, not the buffers");
      assertThrows(IndexOutOfBoundsException.class, () -> batch.frame(2));
      assertEquals(retained, batch.retainedBytes());
    }
  }

  @Test
  void aBadFrameInTheMiddleFailsAloneOnEncode() {
    List<Frame> input = new ArrayList<>(frames.subList(0, 5));
    input.set(2, Frame.allocate(PixelFormat.GRAY, W, H)); // GRAY cannot be cv2-yuv
    input.set(3, null);
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).build()) {
      BatchResult<EncodedFrame> r = codec.encode(input, Q80);
      assertArrayEquals(new int[] {2, 3}, r.failedIndexes());
      assertTrue(r.error(2).orElseThrow() instanceof IllegalArgumentException);
      assertEquals("frame", r.error(3).orElseThrow().getMessage());
      for (int i : new int[] {0, 1, 4}) {
        assertTrue(r.isOk(i));
        assertEquals(expected.get(i), r.get(i));
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.get(2));
      assertTrue(e.getMessage().startsWith("item 2 of 5 failed: java.lang.IllegalArgumentException: cannot encode"),
          e.getMessage());
      assertSame(r.error(2).orElseThrow(), e.getCause());

      EncodedBatch eb = codec.encode(input, Q80, new EncodedBatch());
      assertEquals(2, eb.failureCount());
      assertFalse(eb.isOk(3));
      assertThrows(IllegalStateException.class, () -> eb.frame(3));
      assertEquals(expected.get(4), eb.frame(4));
      assertTrue(eb.toString().contains("2 failed"), eb.toString());
    }
  }

  @Test
  void decodeMatchesOneCodecAndACorruptPayloadInTheMiddleFailsAlone() {
    List<EncodedFrame> payloads = new ArrayList<>(expected.subList(0, 8));
    byte[] corrupt = payloads.get(3).payloadCopy();
    // Keep the header, destroy the entropy-coded data: libjpeg-turbo stops at the first warning.
    Arrays.fill(corrupt, corrupt.length / 2, corrupt.length, (byte) 0);
    payloads.set(3, payloads.get(3).toBuilder().payload(corrupt).build());
    byte[] truncated = Arrays.copyOf(payloads.get(5).payloadCopy(), 20); // inside the header
    payloads.set(5, payloads.get(5).toBuilder().payload(truncated).build());
    payloads.set(7, payloads.get(7).toBuilder().size(W * 2, H).build()); // lies about its size
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).build()) {
      BatchResult<Frame> r = codec.decode(payloads, PixelFormat.BGR);
      assertArrayEquals(new int[] {3, 5, 7}, r.failedIndexes());
      assertTrue(r.error(3).orElseThrow() instanceof FrameFormatException, r.error(3).toString());
      assertTrue(r.error(5).orElseThrow() instanceof FrameFormatException, r.error(5).toString());
      assertEquals("the frame declares shape [240, 640, 3] but its JPEG header says [240, 320, 3]",
          r.error(7).orElseThrow().getMessage());
      for (int i : new int[] {0, 1, 2, 4, 6}) {
        Frame want = single.decode(payloads.get(i), PixelFormat.BGR);
        assertTrue(want.samePixels(r.get(i)), "frame " + i);
      }
    }
  }

  @Test
  void decodeIntoFillsTheCallersFramesAndReportsFailuresPerFrame() {
    List<EncodedFrame> payloads = new ArrayList<>(expected.subList(0, 4));
    payloads.set(1, payloads.get(1).toBuilder().payload(new byte[] {1, 2, 3}).build());
    List<Frame> dst = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      dst.add(Frame.allocateDirect(PixelFormat.BGR, W, H));
    }
    dst.set(2, Frame.allocate(PixelFormat.BGR, W / 2, H)); // wrong size for its payload
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).build()) {
      BatchResult<Frame> r = codec.decodeInto(payloads, dst);
      assertArrayEquals(new int[] {1, 2}, r.failedIndexes());
      assertTrue(r.error(1).orElseThrow() instanceof CorruptPayloadException);
      assertEquals("payload is 320x240 but the destination frame is 160x240",
          r.error(2).orElseThrow().getMessage());
      for (int i : new int[] {0, 3}) {
        assertSame(dst.get(i), r.get(i));
        assertTrue(single.decode(expected.get(i), PixelFormat.BGR).samePixels(dst.get(i)));
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> codec.decodeInto(payloads, dst.subList(0, 3)));
      assertEquals("dst has 3 frames for 4 payloads; they must match one to one", e.getMessage());
    }
  }

  @Test
  void realPhotoBatchRoundTripsOnTwoThreads() {
    Frame photo = CorpusFrames.photo("evening-glow-1080p.png");
    assertEquals(1920, photo.width());
    List<Frame> batch = List.of(photo, photo.crop(0, 0, 1280, 720), photo, photo.crop(640, 360, 1280, 720));
    EncodeOptions ycbcr = EncodeOptions.ycbcr(80, org.framecodec.codec.Subsampling.S420);
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).build()) {
      EncodedBatch encoded = codec.encode(batch, ycbcr, null);
      assertEquals(0, encoded.failureCount());
      List<EncodedFrame> payloads = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(single.encodeFrame(batch.get(i), ycbcr), encoded.frame(i), "payload " + i);
        payloads.add(encoded.frame(i));
      }
      BatchResult<Frame> decoded = codec.decode(payloads, PixelFormat.BGR);
      assertEquals(0, decoded.failureCount());
      assertEquals(1920, decoded.get(0).width());
      assertEquals(720, decoded.get(1).height());
      assertTrue(decoded.get(0).samePixels(decoded.get(2)), "same input, same output");
    }
  }

  @Test
  void concurrentCallersShareTheWorkersAndEachGetsItsOwnResults() throws Exception {
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).build()) {
      int callers = 3;
      CountDownLatch start = new CountDownLatch(1);
      ConcurrentHashMap<Integer, String> failures = new ConcurrentHashMap<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        Thread t = new Thread(() -> {
          try {
            start.await();
            List<Frame> mine = new ArrayList<>(frames);
            java.util.Collections.rotate(mine, caller * 4);
            for (int round = 0; round < 3; round++) {
              BatchResult<EncodedFrame> r = codec.encode(mine, Q80);
              for (int i = 0; i < mine.size(); i++) {
                int original = Math.floorMod(i - caller * 4, frames.size());
                if (!expected.get(original).equals(r.get(i))) {
                  failures.put(caller, "round " + round + " item " + i);
                }
              }
            }
          } catch (Throwable e) {
            failures.put(caller, e.toString());
          }
        });
        threads.add(t);
        t.start();
      }
      start.countDown();
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertEquals(java.util.Map.of(), failures);
    }
  }

  @Test
  void interruptedCallerStillGetsCompleteResultsAndKeepsItsFlag() {
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(1).build()) {
      Thread.currentThread().interrupt();
      BatchResult<EncodedFrame> r = codec.encode(frames.subList(0, 3), Q80);
      assertTrue(Thread.interrupted(), "the interrupt is re-asserted (and cleared here)");
      assertEquals(0, r.failureCount());
      assertEquals(expected.get(2), r.get(2));
    }
  }

  @Test
  void emptyBatchesAndLimits() {
    Limits small = Limits.builder().maxFramesPerBatch(4).build();
    try (ParallelBatchCodec codec = ParallelBatchCodec.builder().limits(small).threads(1).build()) {
      assertEquals(0, codec.encode(List.of(), Q80).size());
      assertEquals(0, codec.decode(List.of(), PixelFormat.BGR).size());
      PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
          () -> codec.encode(frames.subList(0, 5), Q80));
      assertEquals("batch of 5 frames exceeds the limit of 4", e.getMessage());
      assertSame(small, codec.limits());
      assertEquals(CodecBackend.TURBOJPEG, codec.backend());
    }
  }

  @Test
  void builderGuardsAndDefaults() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParallelBatchCodec.builder().threads(0));
    assertEquals("threads must be 1..1024, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ParallelBatchCodec.builder().threads(1025));
    assertEquals("threads must be 1..1024, got 1025", e.getMessage());
    assertThrows(NullPointerException.class, () -> ParallelBatchCodec.builder().backend(null));
    try (ParallelBatchCodec codec = ParallelBatchCodec.open()) {
      assertEquals(Runtime.getRuntime().availableProcessors(), codec.threads());
      assertTrue(codec.toString().contains("TURBOJPEG"));
    }
  }

  @Test
  void closeIsIdempotentStopsTheWorkersAndRefusesLaterCalls() throws Exception {
    ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(2).threadNamePrefix("pbc-close-").build();
    assertNotNull(codec.encode(frames.subList(0, 2), Q80).get(1));
    codec.close();
    codec.close();
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("pbc-close-")), "workers have ended");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.encode(frames, Q80));
    assertEquals("ParallelBatchCodec is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> codec.encode(List.of(), Q80));
  }

  @Test
  void closeLetsAnInFlightBatchFinish() throws Exception {
    ParallelBatchCodec codec = ParallelBatchCodec.builder().threads(1).build();
    AtomicReference<BatchResult<EncodedFrame>> result = new AtomicReference<>();
    Thread caller = new Thread(() -> result.set(codec.encode(frames, Q80)));
    caller.start();
    while (caller.getState() != Thread.State.WAITING && caller.isAlive()) {
      Thread.sleep(1);
    }
    codec.close();
    caller.join(30_000);
    assertEquals(frames.size(), result.get().size());
    assertEquals(0, result.get().failureCount());
  }
}
