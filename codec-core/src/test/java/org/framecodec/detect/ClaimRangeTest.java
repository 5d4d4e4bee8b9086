package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ClaimRangeTest {

  @Test
  void theGpuTakesBlocksFromTheFrontAndTheCpuItemsFromTheBack() {
    ClaimRange r = new ClaimRange(10, 10, 0);
    long block = r.claimFront(4, 4);
    assertEquals(0, ClaimRange.first(block));
    assertEquals(4, ClaimRange.count(block));
    assertEquals(9, r.claimBack());
    assertEquals(8, r.claimBack());
    assertEquals(4, r.availableToGpu());
    assertEquals(-1, r.claimFront(8, 5), "fewer than the least block are left");
    long rest = r.claimFront(8, 1);
    assertEquals(4, ClaimRange.first(rest));
    assertEquals(4, ClaimRange.count(rest));
    assertEquals(-1, r.claimBack());
    assertEquals(0, r.availableToGpu());
  }

  @Test
  void aFixedSplitKeepsEachSideToItsPart() {
    ClaimRange r = new ClaimRange(10, 6, 6);
    long all = r.claimFront(100, 1);
    assertEquals(6, ClaimRange.count(all));
    assertEquals(-1, r.claimFront(100, 1));
    int[] cpu = {r.claimBack(), r.claimBack(), r.claimBack(), r.claimBack(), r.claimBack()};
    assertArrayEquals(new int[] {9, 8, 7, 6, -1}, cpu);
  }

  @Test
  void theCpuDoesNotClaimBelowItsStartEvenWhenTheGpuLeavesItems() {
    ClaimRange r = new ClaimRange(4, 2, 2);
    assertEquals(3, r.claimBack());
    assertEquals(2, r.claimBack());
    assertEquals(-1, r.claimBack());
    assertEquals(2, r.availableToGpu());
  }

  @Test
  void racingClaimsTakeEveryItemExactlyOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      int size = 1000 + round;
      ClaimRange r = new ClaimRange(size, size, 0);
      AtomicIntegerArray taken = new AtomicIntegerArray(size);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(new Thread(() -> {
          await(start);
          for (int i = r.claimBack(); i >= 0; i = r.claimBack()) {
            taken.incrementAndGet(i);
          }
        }));
      }
      for (int t = 0; t < 2; t++) {
        threads.add(new Thread(() -> {
          await(start);
          for (long c = r.claimFront(16, 1); c >= 0; c = r.claimFront(16, 1)) {
            for (int i = 0; i < ClaimRange.count(c); i++) {
              taken.incrementAndGet(ClaimRange.first(c) + i);
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      for (int i = 0; i < size; i++) {
        assertEquals(1, taken.get(i), "item " + i + " of round " + round);
      }
    }
  }

  @Test
  void rejectsLimitsOutsideTheChunk() {
    assertThrows(IllegalArgumentException.class, () -> new ClaimRange(4, 5, 0));
    assertThrows(IllegalArgumentException.class, () -> new ClaimRange(4, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> new ClaimRange(-1, 0, 0));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
