package org.framecodec.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several producer threads feeding several streams, over 100,000 small frames: nothing lost,
 * duplicated or reordered within a stream, and the counters add up. Each frame's pixels hold its
 * stream and index, so a frame delivered under the wrong tags would be caught too.
 */
class BatcherStressTest {
  private static final int PRODUCERS = 4;
  private static final int STREAMS_PER_PRODUCER = 2;
  private static final int FRAMES_PER_STREAM = 13_000;
  private static final int TOTAL = PRODUCERS * STREAMS_PER_PRODUCER * FRAMES_PER_STREAM;

  /** Checks every delivered item against the next index expected on its stream. */
  private static final class OrderChecker implements BatchConsumer<Frame> {
    final ConcurrentHashMap<String, AtomicLong> next = new ConcurrentHashMap<>();
    final AtomicLong items = new AtomicLong();
    final List<String> errors = new ArrayList<>();
    final boolean gapsAllowed;
    long lastSequence = -1;

    OrderChecker(boolean gapsAllowed) {
      this.gapsAllowed = gapsAllowed;
    }

    @Override
    public void accept(Batch<Frame> batch) {
      for (BatchItem<Frame> item : batch.items()) {
        items.incrementAndGet();
        AtomicLong expected = next.computeIfAbsent(item.streamId(), s -> new AtomicLong());
        long pts = item.pts();
        boolean ok = gapsAllowed ? pts >= expected.get() : pts == expected.get();
        if (!ok) {
          error("stream " + item.streamId() + ": got pts " + pts + ", expected "
              + (gapsAllowed ? "at least " : "") + expected.get());
        }
        expected.set(pts + 1);
        if (item.sequence() <= lastSequence) {
          error("sequence went back from " + lastSequence + " to " + item.sequence());
        }
        lastSequence = item.sequence();
        if (decode(item.value()) != key(item.streamId(), pts)) {
          error("frame content does not match its tags " + item);
        }
      }
    }

    private void error(String message) {
      if (errors.size() < 20) {
        errors.add(message);
      }
    }
  }

  private static long key(String stream, long pts) {
    return ((long) stream.hashCode() << 32) | pts;
  }

  private static Frame frameFor(String stream, long pts) {
    Frame f = Frame.allocate(PixelFormat.GRAY, 4, 2);
    long k = key(stream, pts);
    for (int i = 0; i < 8; i++) {
      f.array()[i] = (byte) (k >>> (8 * i));
    }
    return f;
  }

  private static long decode(Frame f) {
    long k = 0;
    for (int i = 0; i < 8; i++) {
      k |= (f.array()[i] & 0xFFL) << (8 * i);
    }
    return k;
  }

  /** Each producer owns two streams and interleaves them, submitting each stream's frames in pts order. */
  private static void produce(Batcher<Frame> batcher) throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        for (int i = 0; i < FRAMES_PER_STREAM; i++) {
          for (int s = 0; s < STREAMS_PER_PRODUCER; s++) {
            String stream = "cam-" + producer + "-" + s;
            batcher.submit(stream, i, frameFor(stream, i));
          }
        }
      }, "producer-" + p);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  @Test
  @Timeout(60)
  void blockPolicyOnOwnThreadDeliversEveryFrameExactlyOnceInOrder() throws Exception {
    assertTrue(TOTAL >= 100_000);
    OrderChecker checker = new OrderChecker(false);
    AtomicLong drops = new AtomicLong();
    Batcher<Frame> batcher = Batcher.<Frame>builder().consumer(checker).preferredSizes(16, 32, 64)
        .maxDelay(Duration.ofMillis(2)).queueCapacity(256).overflowPolicy(OverflowPolicy.BLOCK)
        .dropListener((item, reason) -> drops.incrementAndGet()).build();
    produce(batcher);
    batcher.close();

    assertEquals(List.of(), checker.errors);
    assertEquals(TOTAL, checker.items.get());
    assertEquals(PRODUCERS * STREAMS_PER_PRODUCER, checker.next.size());
    checker.next.values().forEach(n -> assertEquals(FRAMES_PER_STREAM, n.get()));
    BatcherStats s = batcher.stats();
    assertEquals(0, drops.get());
    assertEquals(0, s.lost());
    assertEquals(TOTAL, s.offered());
    assertEquals(TOTAL, s.accepted());
    assertEquals(TOTAL, s.delivered());
    assertCountersAddUp(s);
    assertTrue(s.peakQueueDepth() <= 256, s.toString());
    assertEquals(s.batchesBy(BatchTrigger.SIZE) + s.batchesBy(BatchTrigger.DEADLINE)
        + s.batchesBy(BatchTrigger.FLUSH) + s.batchesBy(BatchTrigger.CLOSE), s.batches());
    // A full batch is 64; a partial one is a preferred size or a remainder below 16.
    long[] sizes = s.batchSizeCounts();
    for (int n = 1; n < sizes.length; n++) {
      if (sizes[n] != 0) {
        assertTrue(n < 16 || n == 16 || n == 32 || n == 64, "batch of " + n + " in " + s);
      }
    }
  }

  @Test
  @Timeout(60)
  void dropOldestOnAnExecutorLosesOnlyReportedFramesAndNeverReorders() throws Exception {
    OrderChecker checker = new OrderChecker(true);
    AtomicLong drops = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Batcher<Frame> batcher = Batcher.<Frame>builder().consumer(checker).maxBatchSize(32)
          .maxDelay(Duration.ofMillis(1)).queueCapacity(64).overflowPolicy(OverflowPolicy.DROP_OLDEST)
          .executor(pool).dropListener((item, reason) -> drops.incrementAndGet()).build();
      produce(batcher);
      batcher.close();

      assertEquals(List.of(), checker.errors);
      BatcherStats s = batcher.stats();
      assertEquals(TOTAL, s.offered());
      assertEquals(TOTAL, s.accepted());
      assertEquals(s.droppedOldest(), drops.get(), "every drop reached the listener");
      assertEquals(TOTAL, s.delivered() + s.droppedOldest());
      assertEquals(s.delivered(), checker.items.get());
      assertCountersAddUp(s);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertCountersAddUp(BatcherStats s) {
    assertEquals(s.accepted(), s.delivered() + s.droppedOldest() + s.handedBack() + s.queueDepth()
        + s.inFlight(), s.toString());
    long[] sizes = s.batchSizeCounts();
    long batches = 0;
    long items = 0;
    for (int n = 0; n < sizes.length; n++) {
      batches += sizes[n];
      items += n * sizes[n];
    }
    assertEquals(s.batches(), batches, "histogram counts every batch");
    assertEquals(s.delivered(), items, "histogram accounts for every delivered item");
  }
}
