package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * <p>The soak lasts {@code framecodec.soak.seconds} (default 8) or {@code framecodec.soak.calls}
 * encode+decode pairs, whichever comes first; docs/reliability.md gives the figures of a run of a
 * million calls: {@code mvn -pl codec-core test -Dtest=NativeMemoryTest
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
    long maxCalls = Long.getLong("framecodec.soak.calls", backend == CodecBackend.TURBOJPEG ? 1_000_000 : 200_000);
    long seconds = Long.getLong("framecodec.soak.seconds", 8);
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
    JpegCodec codec = JpegCodec.open(backend);
    long calls = 0;
    long failures = 0;
    try {
      // Warm up: JIT, scratch growth, libjpeg's pools and the allocator's arenas reach steady state.
      for (int i = 0; i < 20_000; i++) {
        codec.decodeInto(buf, 0, codec.encode(SMALL, opts, buf, 0), JpegMode.CV2_YUV, out);
      }
      System.gc();
      long baseline = rssKb();
      long peak = baseline;
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      while (calls < maxCalls && System.nanoTime() < end) {
        for (int i = 0; i < 1000; i++, calls++) {
          int len = codec.encode(SMALL, opts, buf, 0);
          codec.decodeInto(buf, 0, len, JpegMode.CV2_YUV, out);
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
        peak = Math.max(peak, rssKb());
      }
      System.gc();
      long last = rssKb();
      System.out.printf("NativeMemoryTest %s: %,d encode+decode pairs, %,d failing decodes, %,d codecs;"
          + " VmRSS %,d kB after warm-up, %,d kB peak, %,d kB at the end%n", backend, calls, failures,
          calls / 1000, baseline, peak, last);
      assertTrue(failures > 0, "the failing payload was never refused");
      // A leak of 100 bytes per call would be 100 MB over a million calls; allow 24 MB of noise
      // (heap and metaspace settling, malloc arenas).
      assertTrue(peak - baseline < 24 * 1024, "VmRSS grew from " + baseline + " kB to a peak of " + peak
          + " kB over " + calls + " calls");
    } finally {
      codec.close();
    }
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
