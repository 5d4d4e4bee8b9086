package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.junit.jupiter.api.Test;

/**
 * The per-stream store between decoder and sink, driven by hand: which frame live mode drops,
 * that file mode waits instead, and that the writer gets frames in order with their own results.
 * Frame buffers are never sized here, so no native memory is touched.
 */
class StreamChannelTest {
  static final List<Detection> FACE = List.of(new Detection(new Box(1, 2, 3, 4), 0.9f, 0));

  static StreamChannel.Entry admitAndSubmit(StreamChannel c, long n) throws InterruptedException {
    StreamChannel.Entry e = c.admit(n, n * 40_000, n);
    c.submitted(e);
    return e;
  }

  @Test
  void liveModeDropsTheOldestQueuedFrameButKeepsFramesInTheDetector() throws Exception {
    StreamCounters counters = new StreamCounters();
    StreamChannel c = new StreamChannel("cam", ProcessingMode.LIVE, 3, counters);
    admitAndSubmit(c, 0);
    admitAndSubmit(c, 1);
    admitAndSubmit(c, 2);
    assertTrue(c.claim(0), "frame 0 goes into the detector");
    admitAndSubmit(c, 3); // full: frame 1, the oldest still queued, goes; frame 0 stays
    assertEquals(1, counters.dropped.get());
    assertFalse(c.claim(1), "a dropped frame is not analysed");
    assertTrue(c.claim(2));
    assertTrue(c.claim(3));
    // Every held frame is in the detector: the new frame itself is the one dropped.
    assertSame(StreamChannel.DROPPED, c.admit(4, 160_000, 4));
    assertEquals(2, counters.dropped.get(), "frames 1 and 4");
    c.detected(0, FACE);
    StreamChannel.Work w = c.next();
    assertEquals(0, w.entry().frameNumber);
    assertEquals(FACE, w.entry().detections, "frame 0's own detections");
    c.written(w.entry());
    // Now a slot is free again and the newest frame gets in.
    StreamChannel.Entry e5 = c.admit(5, 200_000, 5);
    assertEquals(5, e5.frameNumber);
  }

  @Test
  void fileModeWaitsForRoomInsteadOfDropping() throws Exception {
    StreamCounters counters = new StreamCounters();
    StreamChannel c = new StreamChannel("file", ProcessingMode.FILE, 2, counters);
    admitAndSubmit(c, 0);
    admitAndSubmit(c, 1);
    AtomicReference<StreamChannel.Entry> third = new AtomicReference<>();
    CountDownLatch admitted = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try {
        third.set(c.admit(2, 80_000, 2));
        admitted.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    reader.start();
    assertFalse(admitted.await(300, TimeUnit.MILLISECONDS), "the reader waits while the channel is full");
    assertTrue(c.claim(0));
    c.detected(0, List.of());
    StreamChannel.Work w = c.next();
    c.written(w.entry());
    assertTrue(admitted.await(5, TimeUnit.SECONDS), "room made, the reader goes on");
    assertEquals(2, third.get().frameNumber);
    assertEquals(0, counters.dropped.get());
    reader.join();
  }

  @Test
  void theWriterTakesFramesInOrderAndAudioUpToEachFrame() throws Exception {
    StreamChannel c = new StreamChannel("s", ProcessingMode.FILE, 8, new StreamCounters());
    admitAndSubmit(c, 0); // pts 0
    admitAndSubmit(c, 1); // pts 40 ms
    c.addAudio(new AudioPacket(null, 1, 48000, 10_000, 0));
    c.addAudio(new AudioPacket(null, 1, 48000, 50_000, 0));
    assertTrue(c.claim(0));
    assertTrue(c.claim(1));
    c.detected(1, FACE);
    // Frame 1 is ready before frame 0: the writer must still wait for frame 0.
    Thread late = new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      c.detected(0, List.of());
    });
    late.start();
    StreamChannel.Work first = c.next();
    assertEquals(0, first.entry().frameNumber);
    assertTrue(first.audio().isEmpty(), "no audio is due before pts 0");
    c.written(first.entry());
    StreamChannel.Work second = c.next();
    assertEquals(1, second.entry().frameNumber);
    assertEquals(FACE, second.entry().detections);
    assertEquals(1, second.audio().size(), "the 10 ms packet goes before the 40 ms frame");
    assertEquals(10_000, second.audio().get(0).ptsMicros);
    c.written(second.entry());
    c.endInput();
    StreamChannel.Work end = c.next();
    assertTrue(end.end());
    assertEquals(50_000, end.audio().get(0).ptsMicros, "the rest of the audio comes with the end");
    late.join();
  }

  @Test
  void endOfInputEndsTheWriterWithTheRestOfTheAudio() throws Exception {
    StreamChannel c = new StreamChannel("s", ProcessingMode.FILE, 4, new StreamCounters());
    c.addAudio(new AudioPacket(null, 1, 48000, 10_000, 0));
    c.endInput();
    StreamChannel.Work w = c.next();
    assertTrue(w.end());
    assertNull(w.entry());
    assertEquals(1, w.audio().size());
    assertNull(c.awaitInfo(), "no frame ever came: no info, no output");
  }
}
