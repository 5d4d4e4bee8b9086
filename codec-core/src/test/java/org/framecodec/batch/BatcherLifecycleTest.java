package org.framecodec.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Builder guards, close and closeNow, consumer failures, and the three delivery modes. */
class BatcherLifecycleTest {
  private final ManualClock clock = new ManualClock();

  private static Batcher.Builder<String> builder() {
    return Batcher.<String>builder().consumer(b -> { });
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void builderGuardsNameTheBadValue() {
    assertEquals("maxBatchSize must be 1..65536, got 0", message(() -> builder().maxBatchSize(0)));
    assertEquals("maxBatchSize must be 1..65536, got 65537",
        message(() -> builder().maxBatchSize(65537)));
    assertEquals("maxDelay must not be negative, got PT-0.001S",
        message(() -> builder().maxDelay(Duration.ofMillis(-1))));
    assertEquals("queueCapacity must be positive, got 0", message(() -> builder().queueCapacity(0)));
    assertEquals("preferred sizes must be 1..65536, got 0 in [16, 0]",
        message(() -> builder().preferredSizes(16, 0)));
    assertEquals("preferred sizes must be 1..65536, got 70000 in [70000]",
        message(() -> builder().preferredSizes(70000)));
    assertEquals("preferred size 16 appears twice in [16, 32, 16]",
        message(() -> builder().preferredSizes(16, 32, 16)));
    assertEquals("maxBatchSize 32 must equal the largest preferred size 64 of [16, 64]",
        message(() -> builder().manual().maxBatchSize(32).preferredSizes(16, 64).build()));
    assertEquals("queueCapacity 8 is less than maxBatchSize 16, so no batch could fill up",
        message(() -> builder().manual().maxBatchSize(16).queueCapacity(8).build()));
    NullPointerException npe = assertThrows(NullPointerException.class,
        () -> Batcher.<String>builder().manual().build());
    assertEquals("consumer: call Builder.consumer(...)", npe.getMessage());
    assertThrows(NullPointerException.class, () -> builder().clock(null));
    assertThrows(NullPointerException.class, () -> builder().overflowPolicy(null));
  }

  @Test
  void hugeDelaySaturatesInsteadOfOverflowing() {
    try (Batcher<String> b = builder().manual().maxDelay(Duration.ofSeconds(Long.MAX_VALUE)).build()) {
      assertEquals(Long.MAX_VALUE, b.maxDelay().toNanos());
    }
  }

  @Test
  void submitRejectsNullsAndWorksAfterPreferredSizesAreCleared() {
    try (Batcher<String> b = builder().manual().preferredSizes(4).preferredSizes().build()) {
      assertEquals(16, b.maxBatchSize());
      assertThrows(NullPointerException.class, () -> b.submit(null, 0, "x"));
      assertThrows(NullPointerException.class, () -> b.submit("cam", 0, null));
    }
  }

  @Test
  void closeDeliversWhatIsWaitingAndIsIdempotent() {
    List<Batch<String>> out = new ArrayList<>();
    Batcher<String> b = Batcher.<String>builder().manual().clock(clock).consumer(out::add)
        .maxBatchSize(4).preferredSizes(2, 4).build();
    for (int i = 0; i < 3; i++) {
      b.submit("cam", i, "f" + i);
    }
    b.close();
    assertEquals(List.of(2, 1), out.stream().map(Batch::size).collect(Collectors.toList()));
    assertTrue(out.stream().allMatch(x -> x.trigger() == BatchTrigger.CLOSE));
    assertTrue(b.isClosed());
    b.close();
    assertEquals(2, out.size(), "a second close delivers nothing twice");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.submit("cam", 7, "late"));
    assertEquals("batcher is closed; item of stream cam at pts 7 was not queued", e.getMessage());
    assertEquals(List.of(), b.closeNow());
  }

  @Test
  void closeNowHandsBackWaitingItemsInOrder() {
    List<Batch<String>> out = new ArrayList<>();
    Batcher<String> b = Batcher.<String>builder().manual().consumer(out::add).maxBatchSize(8).build();
    b.submit("a", 0, "a0");
    b.submit("b", 0, "b0");
    b.submit("a", 1, "a1");
    List<BatchItem<String>> rest = b.closeNow();
    assertEquals(List.of("a0", "b0", "a1"), rest.stream().map(BatchItem::value).collect(Collectors.toList()));
    assertEquals(List.of(), out);
    BatcherStats s = b.stats();
    assertEquals(3, s.handedBack());
    assertEquals(s.accepted(), s.delivered() + s.handedBack() + s.queueDepth() + s.inFlight());
    b.close();
    assertEquals(List.of(), out, "close after closeNow has nothing left to deliver");
  }

  @Test
  void consumerExceptionIsCountedReportedAndDeliveryGoesOn() {
    List<Batch<String>> out = new ArrayList<>();
    List<String> reported = new ArrayList<>();
    Batcher<String> b = Batcher.<String>builder().manual().clock(clock).maxBatchSize(2)
        .consumer(batch -> {
          if (batch.sequence() == 0) {
            throw new java.io.IOException("inference service down");
          }
          out.add(batch);
        })
        .errorHandler((batch, e) -> reported.add(batch.sequence() + ": " + e.getMessage()))
        .build();
    for (int i = 0; i < 4; i++) {
      b.submit("cam", i, "f" + i);
    }
    assertEquals(2, b.tick());
    assertEquals(List.of("0: inference service down"), reported);
    assertEquals(1, out.size());
    BatcherStats s = b.stats();
    assertEquals(1, s.consumerFailures());
    assertEquals(4, s.delivered(), "the failed batch was handed over; it counts as delivered");
    b.close();
  }

  @Test
  void errorHandlerAndDropListenerExceptionsAreContained() {
    Batcher<String> b = Batcher.<String>builder().manual().maxBatchSize(1).queueCapacity(1)
        .overflowPolicy(OverflowPolicy.REJECT)
        .consumer(batch -> { throw new IllegalStateException("consumer"); })
        .errorHandler((batch, e) -> { throw new IllegalStateException("handler"); })
        .dropListener((item, reason) -> { throw new IllegalStateException("listener"); })
        .build();
    assertTrue(b.submit("cam", 0, "a"));
    assertFalse(b.submit("cam", 1, "b"), "rejected; the listener's exception does not escape");
    assertEquals(1, b.tick(), "the handler's exception does not escape either");
    assertEquals(1, b.stats().consumerFailures());
    b.close();
  }

  @Test
  void ownThreadDeliversByDeadlineAndCloseStopsIt() throws Exception {
    List<Batch<String>> out = new CopyOnWriteArrayList<>();
    CountDownLatch got = new CountDownLatch(1);
    List<String> threads = new CopyOnWriteArrayList<>();
    Batcher<String> b = Batcher.<String>builder().maxBatchSize(64).maxDelay(Duration.ofMillis(5))
        .threadName("batcher-under-test")
        .consumer(batch -> {
          threads.add(Thread.currentThread().getName());
          out.add(batch);
          got.countDown();
        }).build();
    b.submit("cam", 0, "a");
    assertTrue(got.await(5, TimeUnit.SECONDS), "the deadline fires in real time on the own thread");
    assertEquals(BatchTrigger.DEADLINE, out.get(0).trigger());
    b.submit("cam", 1, "b");
    b.flush();
    assertEquals(2, out.size(), "flush waits until the item is delivered");
    b.close();
    b.close();
    assertEquals(List.of("batcher-under-test", "batcher-under-test"), threads);
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("batcher-under-test")), "the thread has ended");
  }

  @Test
  void executorRunsTheConsumerOneBatchAtATimeInOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "caller-pool");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
      List<String> names = new CopyOnWriteArrayList<>();
      int[] concurrent = {0, 0};
      Batcher<String> b = Batcher.<String>builder().maxBatchSize(4).maxDelay(Duration.ofMillis(1))
          .executor(pool)
          .consumer(batch -> {
            synchronized (concurrent) {
              concurrent[0]++;
              concurrent[1] = Math.max(concurrent[1], concurrent[0]);
            }
            Thread.sleep(1);
            names.add(Thread.currentThread().getName());
            seqs.add(batch.sequence());
            synchronized (concurrent) {
              concurrent[0]--;
            }
          }).build();
      for (int i = 0; i < 40; i++) {
        b.submit("cam", i, "f" + i);
      }
      b.close();
      assertEquals(1, concurrent[1], "never two batches at once, even on a pool of four");
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(i, seqs.get(i));
      }
      assertEquals(40, b.stats().delivered());
      assertTrue(names.stream().allMatch("caller-pool"::equals), names.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectedExecutionFallsBackToTheBatcherThread() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    List<String> names = new CopyOnWriteArrayList<>();
    Batcher<String> b = Batcher.<String>builder().maxBatchSize(2).executor(pool).threadName("fallback")
        .consumer(batch -> names.add(Thread.currentThread().getName())).build();
    b.submit("cam", 0, "a");
    b.submit("cam", 1, "b");
    b.close();
    assertEquals(List.of("fallback"), names);
  }

  @Test
  void closeAndFlushFromInsideTheConsumerDoNotDeadlock() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Batcher<String>[] self = newArray();
    self[0] = Batcher.<String>builder().maxBatchSize(1).consumer(batch -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, self[0]::flush);
      events.add(e.getMessage());
      self[0].close();
      events.add("closed from consumer");
    }).build();
    self[0].submit("cam", 0, "a");
    self[0].close();
    assertEquals(List.of("flush() called from the consumer would wait for itself", "closed from consumer"),
        events);
  }

  @SuppressWarnings("unchecked")
  private static Batcher<String>[] newArray() {
    return (Batcher<String>[]) new Batcher<?>[1];
  }

  @Test
  void batchAndItemGuards() {
    assertEquals("a batch needs at least one item",
        message(() -> new Batch<String>(0, BatchTrigger.SIZE, 0, 1, List.of())));
    BatchItem<String> item = new BatchItem<>("cam", 1, 0, 0, "x");
    assertEquals("target size 1 is less than the batch size 2",
        message(() -> new Batch<>(0, BatchTrigger.SIZE, 0, 1, List.of(item, item))));
    assertEquals("BatchItem{stream cam, pts 1, #0}", item.toString());
    Batch<String> batch = new Batch<>(3, BatchTrigger.DEADLINE, 0, 4, List.of(item));
    assertEquals("Batch{#3, 1 items, DEADLINE, target 4}", batch.toString());
    assertSame(item, batch.item(0));
  }
}
