package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Native memory of the codecs: every handle and scratch buffer is freed by {@code close()}, a
 * forgotten codec is freed by the cleaner and logged, and resident memory stays flat over a long
 * run of encode and decode calls, including failing ones and codec churn.
 *
 * <p>The soak runs {@code framecodec.soak.calls} encodes (default 300,000 on TurboJPEG, 100,000
 * on OpenCV), each decoded once on TurboJPEG and three times on OpenCV, so both backends make
 * 300,000 decodes; it stops early only at {@code framecodec.soak.seconds} (default 180). A count,
 * not a time, because resident memory is coarse: freed memory that is already resident absorbs
 * the first 10-15 MB of a leak, so a deliberate 200-byte leak per decode showed only 11 MB over
 * 130,000 decodes and would have passed the 16 MB bound at the 100,000 decodes the OpenCV soak
 * used to make; over 300,000 decodes it shows as 45-50 MB and fails (docs/reliability.md has
 * both runs). What is measured is VmRSS less the committed Java heap, whose own growth between
 * collections reached 95 MB in one OpenCV run and says nothing about native memory.
 * docs/reliability.md gives the figures of a million calls:
 * {@code mvn -pl codec-core test -Dtest='NativeMemoryTest#residentMemory*'
 * -Dframecodec.soak.calls=1000000 -Dframecodec.soak.seconds=600}.
 */
class NativeMemoryTest {
  private static final Frame SMALL = CorpusFrames.gradient(32, 24, 3);

  private static IntSupplier live(CodecBackend backend) {
    return backend == CodecBackend.TURBOJPEG ? TurboJpegCodec::liveHandles
        : OpenCvJpegCodec::liveScratchBuffers;
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void closeFreesEveryHandleOnceAndLaterCallsSaySoClosed(CodecBackend backend) {
    IntSupplier live = live(backend);
    int before = live.getAsInt();
    List<JpegCodec> codecs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      JpegCodec c = JpegCodec.open(backend);
      c.encode(SMALL, EncodeOptions.cv2Yuv(80)); // grows the scratch
      codecs.add(c);
    }
    assertEquals(before + 40, live.getAsInt());
    for (JpegCodec c : codecs) {
      c.close();
      c.close();
    }
    assertEquals(before, live.getAsInt(), "close() must free each native handle exactly once");
    JpegCodec closed = codecs.get(0);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> closed.decode(new byte[] {(byte) 0xFF, (byte) 0xD8}, JpegMode.CV2_YUV));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void aForgottenCodecIsFreedByTheCleanerWhichLogsTheLeak(CodecBackend backend) throws InterruptedException {
    Class<?> type = backend == CodecBackend.TURBOJPEG ? TurboJpegCodec.class : OpenCvJpegCodec.class;
    Logger logger = Logger.getLogger(type.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public synchronized void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    try {
      IntSupplier live = live(backend);
      int before = live.getAsInt();
      WeakReference<JpegCodec> forgotten = openAndForget(backend);
      assertEquals(before + 1, live.getAsInt());
      long deadline = System.nanoTime() + 20_000_000_000L;
      while ((forgotten.get() != null || live.getAsInt() > before || leaks(records, capture) == 0)
          && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(20);
      }
      assertTrue(forgotten.get() == null, "the forgotten codec was never collected");
      assertTrue(live.getAsInt() <= before, "the cleaner did not free the native memory");
      assertTrue(leaks(records, capture) > 0, "the cleaner did not log the leak");
    } finally {
      logger.removeHandler(capture);
    }
  }

  private static WeakReference<JpegCodec> openAndForget(CodecBackend backend) {
    JpegCodec c = JpegCodec.open(backend);
    c.encode(SMALL, EncodeOptions.cv2Yuv(80));
    return new WeakReference<>(c);
  }

  private static int leaks(List<LogRecord> records, Handler lock) {
    synchronized (lock) {
      return (int) records.stream().filter(r -> r.getLevel() == Level.WARNING
          && r.getMessage().contains("was never closed")).count();
    }
  }

  @Test
  void turboJpegScratchIsBoundedByTheLargestFrame() {
    try (TurboJpegCodec c = new TurboJpegCodec()) {
      Frame big = CorpusFrames.gradient(320, 240, 1);
      c.encode(big, EncodeOptions.cv2Yuv(80));
      long afterBig = c.scratchBytes();
      // The documented bound: 3 * width * height, plus one row of int16 planes and alignment.
      assertTrue(afterBig <= 3L * 320 * 240 + 6L * 320 + 16, "scratch of " + afterBig + " bytes");
      for (int i = 0; i < 100; i++) {
        c.encode(SMALL, EncodeOptions.cv2Yuv(80));
      }
      assertEquals(afterBig, c.scratchBytes(), "scratch is reused, not reallocated, for smaller frames");
    }
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void residentMemoryStaysFlatOverManyCallsFailuresAndCodecChurn(CodecBackend backend) throws IOException {
    long maxCalls = Long.getLong("framecodec.soak.calls", backend == CodecBackend.TURBOJPEG ? 300_000 : 100_000);
    long seconds = Long.getLong("framecodec.soak.seconds", 180);
    // OpenCV calls cost about three times TurboJPEG's; decoding each payload three times gives it
    // TurboJPEG's 300,000 decodes, enough for a 200-byte leak per decode to clear the bound, at
    // less cost than 300,000 encodes.
    int decodesPerEncode = backend == CodecBackend.TURBOJPEG ? 1 : 3;
    EncodeOptions opts = EncodeOptions.cv2Yuv(80);
    byte[] buf = new byte[JpegSizes.maxEncodedSize(SMALL.width(), SMALL.height(), opts)];
    Frame out = Frame.allocate(PixelFormat.BGR, SMALL.width(), SMALL.height());
    byte[] bad;
    int n;
    try (JpegCodec c = JpegCodec.open(backend)) {
      n = c.encode(SMALL, opts, buf, 0);
      bad = Arrays.copyOf(buf, n);
      bad[n * 2 / 3] = (byte) 0xFF; // a stray marker: an error (TurboJPEG) or warning (OpenCV) mid-scan
      bad[n * 2 / 3 + 1] = (byte) 0xD3;
      bad = Arrays.copyOf(bad, n - 40); // and truncated: both backends refuse it
    }
    Soak soak = new Soak(backend, opts, buf, out, bad, decodesPerEncode);
    try {
      // Warm up with the same mix: JIT, scratch growth, libjpeg's pools and malloc's arenas for
      // failing decodes and new handles all reach their steady state before the baseline.
      soak.run(50_000 / decodesPerEncode, Long.MAX_VALUE);
      long baseline = settledOutsideHeapKb();
      long rssBaseline = rssKb();
      soak.calls = 0;
      soak.failures = 0;
      soak.peak = baseline;
      long start = System.nanoTime();
      soak.run(maxCalls, start + seconds * 1_000_000_000L);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      long last = settledOutsideHeapKb();
      System.out.printf("NativeMemoryTest %s: %,d encodes, %,d decodes, %,d failing decodes, %,d codecs in %.1f s;"
          + " VmRSS less the committed Java heap: %,d kB after warm-up, %,d kB peak, %,d kB at the end"
          + " (VmRSS %,d kB -> %,d kB)%n", backend, soak.calls, soak.calls * decodesPerEncode, soak.failures,
          soak.calls / 1000, elapsedMs / 1000.0, baseline, soak.peak, last, rssBaseline, rssKb());
      assertTrue(soak.failures > 0, "the failing payload was never refused");
      // A leak raises both the in-run peak (sampled every 1000 calls) and the settled end. A GC
      // that uncommits heap before the kernel drops its pages raises only one of them for a
      // moment (seen once in CI: end +100 MB, peak +0), so the smaller of the two is judged.
      // 16 MB allows for metaspace, code cache and malloc arenas settling.
      long growth = Math.min(last, soak.peak) - baseline;
      assertTrue(growth < 16 * 1024, "VmRSS less the Java heap grew from " + baseline
          + " kB to " + last + " kB at the end and " + soak.peak + " kB at the in-run peak over "
          + soak.calls + " encodes and " + soak.calls * decodesPerEncode + " decodes");
    } finally {
      soak.codec.close();
    }
  }

  /** Encodes each decoded {@code decodesPerEncode} times, a failing decode every 50, a new codec every 1000. */
  private static final class Soak {
    final CodecBackend backend;
    final EncodeOptions opts;
    final byte[] buf;
    final Frame out;
    final byte[] bad;
    final int decodesPerEncode;
    JpegCodec codec;
    long calls;
    long failures;
    long peak;

    Soak(CodecBackend backend, EncodeOptions opts, byte[] buf, Frame out, byte[] bad, int decodesPerEncode) {
      this.backend = backend;
      this.decodesPerEncode = decodesPerEncode;
      this.opts = opts;
      this.buf = buf;
      this.out = out;
      this.bad = bad;
      this.codec = JpegCodec.open(backend);
    }

    void run(long maxCalls, long endNanos) throws IOException {
      while (calls < maxCalls && System.nanoTime() < endNanos) {
        for (int i = 0; i < 1000; i++, calls++) {
          int len = codec.encode(SMALL, opts, buf, 0);
          for (int d = 0; d < decodesPerEncode; d++) {
            codec.decodeInto(buf, 0, len, JpegMode.CV2_YUV, out);
          }
          if (i % 50 == 0) {
            try {
              codec.decodeInto(bad, 0, bad.length, JpegMode.CV2_YUV, out);
            } catch (CorruptPayloadException expected) {
              failures++;
            }
          }
        }
        // Churn: codecs are cheap, and a fresh handle must cost nothing once closed.
        codec.close();
        codec = JpegCodec.open(backend);
        peak = Math.max(peak, outsideHeapKb());
      }
    }
  }

  /** {@link #outsideHeapKb()} after a GC: the least of ten samples over one second. */
  static long settledOutsideHeapKb() throws IOException {
    System.gc();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      least = Math.min(least, outsideHeapKb());
    }
    return least;
  }

  /**
   * Resident memory that is not Java heap: VmRSS less the heap the JVM has committed. The heap
   * grows and shrinks with garbage (OpenCV calls make JavaCPP objects) and would hide a native
   * leak or fake one; what is left moves only with native memory, metaspace and code.
   */
  static long outsideHeapKb() throws IOException {
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    return rssKb() - heap;
  }

  /** This process's resident set size, from /proc/self/status. */
  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }
}
