package org.framecodec.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each overflow policy under overload: what is kept, what is lost, and that losses are reported. */
class BatcherOverloadTest {
  private final List<String> lost = new CopyOnWriteArrayList<>();
  private final List<Batch<String>> out = new CopyOnWriteArrayList<>();

  private DropListener<String> recorder() {
    return (item, reason) -> lost.add(item.value() + "@" + item.pts() + "#" + item.sequence() + ":" + reason);
  }

  private static List<String> flat(List<Batch<String>> batches) {
    return batches.stream().flatMap(b -> b.values().stream()).collect(Collectors.toList());
  }

  private static void assertCountersAddUp(BatcherStats s) {
    assertEquals(s.accepted(), s.delivered() + s.droppedOldest() + s.handedBack() + s.queueDepth()
        + s.inFlight(), s.toString());
  }

  @Test
  void rejectRefusesNewItemsWhenFullAndReportsThem() {
    Batcher<String> b = Batcher.<String>builder().manual().consumer(out::add).maxBatchSize(4)
        .queueCapacity(4).overflowPolicy(OverflowPolicy.REJECT).dropListener(recorder()).build();
    List<Boolean> accepted = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      accepted.add(b.submit("cam", i, "f" + i));
    }
    assertEquals(List.of(true, true, true, true, false, false), accepted);
    assertEquals(List.of("f4@4#-1:REJECTED", "f5@5#-1:REJECTED"), lost);
    assertEquals(1, b.tick());
    assertEquals(List.of("f0", "f1", "f2", "f3"), flat(out));
    assertTrue(b.submit("cam", 6, "f6"), "room again after the batch left");
    BatcherStats s = b.stats();
    assertEquals(2, s.rejected());
    assertEquals(2, s.lost());
    assertEquals(7, s.offered());
    assertCountersAddUp(s);
    b.close();
  }

  @Test
  void dropOldestKeepsTheNewestItemsAndReportsTheDroppedOnesInOrder() {
    Batcher<String> b = Batcher.<String>builder().manual().consumer(out::add).maxBatchSize(4)
        .queueCapacity(4).overflowPolicy(OverflowPolicy.DROP_OLDEST).dropListener(recorder()).build();
    for (int i = 0; i < 10; i++) {
      assertTrue(b.submit("cam", i, "f" + i), "DROP_OLDEST always accepts");
    }
    assertEquals(List.of("f0@0#0:DROPPED_OLDEST", "f1@1#1:DROPPED_OLDEST", "f2@2#2:DROPPED_OLDEST",
        "f3@3#3:DROPPED_OLDEST", "f4@4#4:DROPPED_OLDEST", "f5@5#5:DROPPED_OLDEST"), lost);
    b.tick();
    assertEquals(List.of("f6", "f7", "f8", "f9"), flat(out));
    BatcherStats s = b.stats();
    assertEquals(6, s.droppedOldest());
    assertEquals(10, s.accepted());
    assertEquals(4, s.peakQueueDepth());
    assertCountersAddUp(s);
    b.close();
  }

  @Test
  void dropOldestUnderALiveOverloadStaysInOrderAndLosesNothingSilently() throws Exception {
    // A consumer far slower than the producer, as when inference falls behind a live stream.
    Batcher<String> b = Batcher.<String>builder().consumer(batch -> {
      out.add(batch);
      Thread.sleep(2);
    }).maxBatchSize(8).queueCapacity(16).maxDelay(Duration.ofMillis(1))
        .overflowPolicy(OverflowPolicy.DROP_OLDEST).dropListener(recorder()).build();
    int n = 2000;
    for (int i = 0; i < n; i++) {
      b.submit(i % 2 == 0 ? "even" : "odd", i, "f" + i);
    }
    b.close();
    BatcherStats s = b.stats();
    assertTrue(s.droppedOldest() > 0, "the test must actually overload: " + s);
    assertEquals(n, s.accepted());
    assertEquals(n, s.delivered() + s.droppedOldest());
    assertEquals(s.droppedOldest(), lost.size());
    assertTrue(lost.stream().allMatch(x -> x.endsWith(":DROPPED_OLDEST")));
    long lastEven = -1;
    long lastOdd = -1;
    int items = 0;
    for (Batch<String> batch : out) {
      for (BatchItem<String> item : batch.items()) {
        items++;
        if (item.streamId().equals("even")) {
          assertTrue(item.pts() > lastEven, "even stream reordered at " + item);
          lastEven = item.pts();
        } else {
          assertTrue(item.pts() > lastOdd, "odd stream reordered at " + item);
          lastOdd = item.pts();
        }
      }
    }
    assertEquals(s.delivered(), items);
    assertEquals(n - 1, Math.max(lastEven, lastOdd), "the newest item is never the one dropped");
  }

  @Test
  void blockMakesTheProducerWaitForRoomAndLosesNothing() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    Batcher<String> b = Batcher.<String>builder().consumer(batch -> {
      gate.await();
      out.add(batch);
    }).maxBatchSize(2).queueCapacity(4).maxDelay(Duration.ofHours(1))
        .overflowPolicy(OverflowPolicy.BLOCK).dropListener(recorder()).build();
    int n = 20;
    Thread producer = new Thread(() -> {
      for (int i = 0; i < n; i++) {
        b.submit("cam", i, "f" + i);
      }
    }, "blocked-producer");
    producer.start();
    // One batch of 2 is stuck in the consumer and 4 items fill the queue: the producer waits.
    awaitTrue(() -> b.stats().inFlight() == 2 && b.stats().queueDepth() == 4
        && producer.getState() == Thread.State.WAITING, "producer blocked behind a full queue");
    BatcherStats stuck = b.stats();
    assertEquals(4, stuck.queueDepth(), stuck.toString());
    assertEquals(2, stuck.inFlight());
    assertEquals(6, stuck.accepted());
    assertCountersAddUp(stuck);
    gate.countDown();
    producer.join(10_000);
    assertFalse(producer.isAlive());
    b.close();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add("f" + i);
    }
    assertEquals(expected, flat(out));
    assertEquals(List.of(), lost);
    assertEquals(0, b.stats().lost());
  }

  @Test
  void blockedProducerThatIsInterruptedGetsFalseAndTheItemIsReported() throws Exception {
    Batcher<String> b = Batcher.<String>builder().manual().consumer(out::add).maxBatchSize(2)
        .queueCapacity(2).overflowPolicy(OverflowPolicy.BLOCK).dropListener(recorder()).build();
    b.submit("cam", 0, "a");
    b.submit("cam", 1, "b");
    AtomicReference<Boolean> result = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread producer = new Thread(() -> {
      result.set(b.submit("cam", 2, "c"));
      flagAfter.set(Thread.currentThread().isInterrupted());
    });
    producer.start();
    awaitState(producer, Thread.State.WAITING);
    producer.interrupt();
    producer.join(10_000);
    assertEquals(Boolean.FALSE, result.get());
    assertTrue(flagAfter.get(), "the interrupt flag is set again");
    assertEquals(List.of("c@2#-1:INTERRUPTED"), lost);
    BatcherStats s = b.stats();
    assertEquals(1, s.interrupted());
    assertEquals(3, s.offered());
    b.close();
    assertEquals(List.of("a", "b"), flat(out));
  }

  @Test
  void blockedProducerIsReleasedWithAnExceptionWhenTheBatcherCloses() throws Exception {
    Batcher<String> b = Batcher.<String>builder().manual().consumer(out::add).maxBatchSize(1)
        .queueCapacity(1).overflowPolicy(OverflowPolicy.BLOCK).build();
    b.submit("cam", 0, "a");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        b.submit("cam", 1, "b");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    producer.start();
    awaitState(producer, Thread.State.WAITING);
    b.close();
    producer.join(10_000);
    assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
    assertEquals("batcher is closed; item of stream cam at pts 1 was not queued", thrown.get().getMessage());
    assertEquals(List.of("a"), flat(out));
  }

  @Test
  void flushWaitsOnlyForItemsSubmittedBeforeIt() throws Exception {
    CountDownLatch firstBatch = new CountDownLatch(1);
    Batcher<String> b = Batcher.<String>builder().consumer(batch -> {
      out.add(batch);
      firstBatch.countDown();
    }).maxBatchSize(100).maxDelay(Duration.ofHours(1)).build();
    b.submit("cam", 0, "a");
    b.flush();
    assertEquals(List.of("a"), flat(out));
    assertTrue(firstBatch.await(1, TimeUnit.SECONDS));
    b.close();
  }

  @Test
  void defaultDropListenerCountsAndLogsWithoutThrowing() {
    Batcher<String> b = Batcher.<String>builder().manual().consumer(out::add).maxBatchSize(1)
        .queueCapacity(1).overflowPolicy(OverflowPolicy.REJECT).build();
    b.submit("cam", 0, "a");
    for (int i = 1; i <= 12; i++) {
      assertFalse(b.submit("cam", i, "x"));
    }
    assertEquals(12, b.stats().rejected());
    assertThrows(IllegalStateException.class, () -> {
      b.close();
      b.submit("cam", 99, "late");
    });
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(1);
    }
  }

  private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(t.getName() + " never reached " + state + "; it is " + t.getState());
      }
      Thread.sleep(1);
    }
  }
}
