package org.framecodec.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Size and deadline triggers, preferred sizes and flush, all in manual mode with a hand-driven
 * clock: nothing sleeps, every outcome is exact.
 */
class BatcherTriggerTest {
  private final ManualClock clock = new ManualClock();
  private final List<Batch<String>> out = new ArrayList<>();

  private Batcher.Builder<String> manual(int maxBatch, long delayMs) {
    return Batcher.<String>builder().manual().clock(clock).consumer(out::add)
        .maxBatchSize(maxBatch).maxDelay(Duration.ofMillis(delayMs));
  }

  private static List<String> values(Batch<String> b) {
    return new ArrayList<>(b.values());
  }

  private List<Integer> sizes() {
    return out.stream().map(Batch::size).collect(Collectors.toList());
  }

  @Test
  void sizeTriggerFiresAtMaxBatchSizeAndNotBefore() {
    try (Batcher<String> b = manual(4, 1000).build()) {
      for (int i = 0; i < 3; i++) {
        b.submit("cam", i, "f" + i);
      }
      assertEquals(0, b.tick());
      b.submit("cam", 3, "f3");
      assertEquals(1, b.tick());
      assertEquals(List.of("f0", "f1", "f2", "f3"), values(out.get(0)));
      assertEquals(BatchTrigger.SIZE, out.get(0).trigger());
      assertEquals(0, b.stats().queueDepth());
    }
  }

  @Test
  void oneTickCutsEveryFullBatchAndLeavesTheRest() {
    try (Batcher<String> b = manual(4, 1000).queueCapacity(16).build()) {
      for (int i = 0; i < 9; i++) {
        b.submit("cam", i, "f" + i);
      }
      assertEquals(2, b.tick());
      assertEquals(List.of(4, 4), sizes());
      assertEquals(List.of("f4", "f5", "f6", "f7"), values(out.get(1)));
      assertEquals(1, b.stats().queueDepth());
      assertEquals(0, out.get(0).sequence());
      assertEquals(1, out.get(1).sequence());
    }
  }

  @Test
  void deadlineFiresWhenTheOldestItemHasWaitedMaxDelay() {
    try (Batcher<String> b = manual(8, 10).build()) {
      b.submit("cam", 0, "a");
      clock.advanceMillis(5);
      b.submit("cam", 1, "b");
      clock.advanceMillis(4);
      assertEquals(0, b.tick(), "9 ms: not due");
      clock.advanceMillis(1);
      assertEquals(1, b.tick(), "10 ms after the oldest: due, with the younger item too");
      assertEquals(List.of("a", "b"), values(out.get(0)));
      assertEquals(BatchTrigger.DEADLINE, out.get(0).trigger());
      assertEquals(2, out.get(0).targetSize(), "no preferred sizes: target is the size");
    }
  }

  @Test
  void deadlineRestartsFromTheNextOldestItem() {
    try (Batcher<String> b = manual(8, 10).build()) {
      b.submit("cam", 0, "a");
      clock.advanceMillis(10);
      assertEquals(1, b.tick());
      b.submit("cam", 1, "b");
      clock.advanceMillis(9);
      assertEquals(0, b.tick());
      clock.advanceMillis(1);
      assertEquals(1, b.tick());
      assertEquals(List.of("b"), values(out.get(1)));
    }
  }

  @Test
  void zeroDelayDeliversWhateverIsWaitingOnEachTick() {
    try (Batcher<String> b = manual(8, 0).build()) {
      b.submit("cam", 0, "a");
      b.submit("cam", 1, "b");
      assertEquals(1, b.tick());
      assertEquals(List.of(2), sizes());
    }
  }

  @Test
  void preferredSizesCutTheLargestFittingSizeThenTheRemainder() {
    try (Batcher<String> b = manual(8, 10).preferredSizes(8, 2, 4).build()) {
      assertEquals(8, b.maxBatchSize(), "the largest preferred size is the maximum");
      for (int i = 0; i < 7; i++) {
        b.submit("cam", i, "f" + i);
      }
      clock.advanceMillis(10);
      assertEquals(3, b.tick());
      assertEquals(List.of(4, 2, 1), sizes());
      assertEquals(List.of(4, 2, 2), out.stream().map(Batch::targetSize).collect(Collectors.toList()),
          "the lone remainder is padded to the smallest preferred size");
      assertEquals(List.of("f6"), values(out.get(2)));
    }
  }

  @Test
  void preferredSizesLeaveYoungerItemsWaitingForTheirOwnDeadline() {
    try (Batcher<String> b = manual(8, 10).preferredSizes(2, 4, 8).build()) {
      for (int i = 0; i < 4; i++) {
        b.submit("cam", i, "old" + i);
      }
      clock.advanceMillis(6);
      b.submit("cam", 4, "young0");
      b.submit("cam", 5, "young1");
      clock.advanceMillis(4);
      assertEquals(1, b.tick(), "only the four old items are due; 4 is a preferred size");
      assertEquals(List.of(4), sizes());
      clock.advanceMillis(5);
      assertEquals(0, b.tick());
      clock.advanceMillis(1);
      assertEquals(1, b.tick());
      assertEquals(List.of("young0", "young1"), values(out.get(1)));
      assertEquals(BatchTrigger.DEADLINE, out.get(1).trigger());
    }
  }

  @Test
  void sizeTriggerWithPreferredSizesEmitsTheLargest() {
    try (Batcher<String> b = manual(4, 1000).preferredSizes(2, 4).build()) {
      for (int i = 0; i < 5; i++) {
        b.submit("cam", i, "f" + i);
      }
      assertEquals(1, b.tick());
      assertEquals(List.of(4), sizes());
      assertEquals(BatchTrigger.SIZE, out.get(0).trigger());
    }
  }

  @Test
  void flushDeliversEverythingWaitingOnTheCallingThreadInManualMode() throws Exception {
    try (Batcher<String> b = manual(4, 1000).preferredSizes(2, 4).build()) {
      for (int i = 0; i < 3; i++) {
        b.submit("cam", i, "f" + i);
      }
      b.flush();
      assertEquals(List.of(2, 1), sizes());
      assertTrue(out.stream().allMatch(x -> x.trigger() == BatchTrigger.FLUSH));
      assertEquals(0, b.stats().queueDepth());
    }
  }

  @Test
  void itemsCarryStreamTimestampSequenceAndSubmitTime() {
    try (Batcher<String> b = manual(3, 1000).build()) {
      long t0 = clock.nanoTime();
      b.submit("left", 40_000, "l0");
      clock.advanceMillis(1);
      b.submit("right", 40_500, "r0");
      b.submit("left", 60_000, "l1");
      b.tick();
      Batch<String> batch = out.get(0);
      assertEquals(List.of("left", "right", "left"),
          batch.items().stream().map(BatchItem::streamId).collect(Collectors.toList()));
      assertEquals(List.of(40_000L, 40_500L, 60_000L),
          batch.items().stream().map(BatchItem::pts).collect(Collectors.toList()));
      assertEquals(List.of(0L, 1L, 2L),
          batch.items().stream().map(BatchItem::sequence).collect(Collectors.toList()));
      assertEquals(t0, batch.item(0).submitNanos());
      assertEquals(t0 + 1_000_000, batch.item(1).submitNanos());
      assertEquals(clock.nanoTime(), batch.createdNanos());
      assertThrows(UnsupportedOperationException.class, () -> batch.values().add("x"));
      assertThrows(UnsupportedOperationException.class, () -> batch.items().clear());
    }
  }

  @Test
  void statsCountBatchSizesTriggersAndWaitTimes() {
    try (Batcher<String> b = manual(4, 10).build()) {
      for (int i = 0; i < 4; i++) {
        b.submit("cam", i, "f" + i);
      }
      clock.advanceMillis(2);
      b.tick(); // four items that waited 2 ms, by size
      b.submit("cam", 4, "f4");
      clock.advanceMillis(10);
      b.tick(); // one item that waited 10 ms, by deadline
      BatcherStats s = b.stats();
      assertEquals(2, s.batches());
      assertEquals(1, s.batchesOfSize(4));
      assertEquals(1, s.batchesOfSize(1));
      assertEquals(0, s.batchesOfSize(2));
      assertEquals(0, s.batchesOfSize(99), "sizes beyond the maximum are simply never seen");
      assertEquals(1, s.batchesBy(BatchTrigger.SIZE));
      assertEquals(1, s.batchesBy(BatchTrigger.DEADLINE));
      assertEquals(0, s.batchesBy(BatchTrigger.FLUSH));
      assertEquals(5, s.delivered());
      assertEquals(5, s.accepted());
      assertEquals(4, s.peakQueueDepth());
      assertEquals(16, s.queueCapacity(), "default capacity is four batches");
      // Histogram buckets are within 1/32 of the value.
      assertEquals(2_000_000, s.waitP50Nanos(), 2_000_000 / 32.0);
      assertEquals(10_000_000, s.waitP99Nanos(), 10_000_000 / 32.0);
      assertEquals(10_000_000, s.waitMaxNanos());
      long[] hist = s.batchSizeCounts();
      assertEquals(5, hist.length, "one counter per size 0..max");
      hist[4] = 99;
      assertEquals(1, b.stats().batchesOfSize(4), "the histogram is a copy");
      assertTrue(s.toString().contains("1x1, 4x1"), s.toString());
    }
  }

  @Test
  void tickIsForManualModeOnly() {
    try (Batcher<String> b = Batcher.<String>builder().consumer(x -> { }).threadName("t-only").build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, b::tick);
      assertEquals("tick() is for manual mode; this batcher delivers on thread t-only", e.getMessage());
    }
  }

  @Test
  void builderAccessorsReportTheConfiguration() {
    try (Batcher<String> b = manual(8, 10).preferredSizes(8, 4).queueCapacity(20)
        .overflowPolicy(OverflowPolicy.DROP_OLDEST).build()) {
      assertEquals(Duration.ofMillis(10), b.maxDelay());
      assertEquals(List.of(4, 8), List.of(b.preferredSizes()[0], b.preferredSizes()[1]));
      assertEquals(20, b.queueCapacity());
      assertSame(OverflowPolicy.DROP_OLDEST, b.overflowPolicy());
      assertEquals("Batcher{max 8, delay 10.0 ms, preferred [4, 8], queue 20 DROP_OLDEST}", b.toString());
    }
  }
}
