package org.framecodec.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * Groups items from live streams into batches for inference: a batch is emitted when
 * {@code maxBatchSize} items wait, or when the oldest waiting item has waited {@code maxDelay},
 * whichever comes first.
 *
 * <pre>
 *   producers ──submit(stream, pts, item)──▶ [ bounded FIFO queue ] ──▶ batch ──▶ consumer
 *                 │ full: BLOCK / REJECT /       ▲ size or deadline        one at a time,
 *                 ▼       DROP_OLDEST           (or flush / close)         in order
 *             DropListener
 * </pre>
 *
 * <p><b>Order.</b> The queue is one FIFO across all streams and batches are cut from its head and
 * delivered one at a time, so items of a stream reach the consumer in the order their
 * {@code submit} calls returned, and never twice. Each {@link BatchItem} carries its stream id and
 * presentation timestamp for joining results back.
 *
 * <p><b>Preferred sizes.</b> With {@link Builder#preferredSizes(int...)} (say 16, 32, 64, since
 * GPUs favour powers of two) a full batch has the largest preferred size; a deadline, flush or
 * close emits the largest preferred size the queue can fill, and only a remainder smaller than
 * every preferred size goes out as it is, with {@link Batch#targetSize()} naming the size to pad
 * to. The deadline always wins over the preferred size: no item waits longer than
 * {@code maxDelay} for a batch to be formed (plus the time the consumer spends on earlier ones).
 *
 * <p><b>Backpressure.</b> At most {@code queueCapacity} items wait (plus one batch being
 * delivered); when the queue is full the {@link OverflowPolicy} decides. Every item lost to it is
 * counted in {@link #stats()} and passed to the {@link DropListener}.
 *
 * <p><b>Delivery.</b> The {@link BatchConsumer} runs on a daemon thread the batcher owns (the
 * default), on the caller's {@link Executor} (the batcher's thread then only forms batches and
 * waits for each to finish), or, in manual mode, on whichever thread calls {@link #tick()}, with no
 * batcher thread at all; tests use manual mode with a hand-advanced {@link NanoClock}. An
 * exception from the consumer is counted and passed to the error handler, and delivery goes on.
 *
 * <p><b>Metrics.</b> {@link #stats()} is a consistent snapshot of every counter; a {@link
 * BatcherObserver} added with {@link #addObserver} is told about each delivered batch (sizes, wait
 * times). Neither costs anything while nobody asks.
 *
 * <p><b>Close.</b> {@link #close()} stops accepting items, delivers what is waiting and stops the
 * thread; {@link #closeNow()} hands the waiting items back instead. Both are idempotent.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. The batcher never copies
 * or touches item values: buffers stay the producer's until the consumer has them, and the
 * producer must not reuse a frame's buffer that is still queued.
 *
 * @param <T> the item type: a {@link org.framecodec.frames.Frame}, an encoded payload, anything
 */
public final class Batcher<T> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Batcher.class.getName());
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  /** Bounds the batch-size histogram, which has one counter per size. */
  static final int MAX_BATCH_SIZE_LIMIT = 1 << 16;
  private static final BatcherObserver[] NO_OBSERVERS = new BatcherObserver[0];

  private enum State { OPEN, CLOSING, CLOSED }

  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final int[] preferredSizes;
  private final int queueCapacity;
  private final OverflowPolicy policy;
  private final BatchConsumer<T> consumer;
  private final DropListener<T> dropListener;
  private final BiConsumer<Batch<T>, Throwable> errorHandler;
  private final NanoClock clock;
  private final Executor executor;
  private final Thread dispatcher;

  private final ReentrantLock lock = new ReentrantLock();
  /** The dispatcher waits here for work: a first item (new deadline), a full batch, flush, close. */
  private final Condition work = lock.newCondition();
  /** BLOCK producers wait here for room. */
  private final Condition notFull = lock.newCondition();
  /** flush(), close() and would-be deliverers wait here for a delivery to finish or items to leave. */
  private final Condition progress = lock.newCondition();

  // Guarded by lock.
  private final ArrayDeque<BatchItem<T>> pending = new ArrayDeque<>();
  private Batch<T> inFlight;
  private State state = State.OPEN;
  private long nextItemSequence;
  private long nextBatchSequence;
  /** Items with a sequence up to this one are due now (flush, close). */
  private long flushThrough = -1;
  private int peakQueueDepth;
  private long accepted;
  private long rejected;
  private long interrupted;
  private long droppedOldest;
  private long delivered;
  private long handedBack;
  private long batches;
  private long consumerFailures;
  private final long[] batchSizeCounts;
  private final EnumMap<BatchTrigger, Long> batchesByTrigger = new EnumMap<>(BatchTrigger.class);

  private final LatencyHistogram waits = new LatencyHistogram();
  /** Copy-on-write; replaced under observersLock, read without it on every delivery. */
  private volatile BatcherObserver[] observers = NO_OBSERVERS;
  private final Object observersLock = new Object();
  /** The thread inside the consumer, so flush() and close() from the consumer do not wait for themselves. */
  private volatile Thread deliveringThread;

  private Batcher(Builder<T> b) {
    this.consumer = Objects.requireNonNull(b.consumer, "consumer: call Builder.consumer(...)");
    this.preferredSizes = b.preferredSizes.clone();
    int max = b.maxBatchSize;
    if (preferredSizes.length > 0) {
      int largest = preferredSizes[preferredSizes.length - 1];
      if (b.maxBatchSizeSet && max != largest) {
        throw new IllegalArgumentException("maxBatchSize " + max
            + " must equal the largest preferred size " + largest + " of "
            + Arrays.toString(preferredSizes));
      }
      max = largest;
    }
    this.maxBatchSize = max;
    this.queueCapacity = b.queueCapacity > 0 ? b.queueCapacity : 4 * max;
    if (queueCapacity < maxBatchSize) {
      throw new IllegalArgumentException("queueCapacity " + queueCapacity
          + " is less than maxBatchSize " + maxBatchSize + ", so no batch could fill up");
    }
    this.maxDelayNanos = b.maxDelayNanos;
    this.policy = b.policy;
    this.dropListener = b.dropListener != null ? b.dropListener : new LoggingDropListener<>();
    this.errorHandler = b.errorHandler != null ? b.errorHandler : Batcher::logConsumerFailure;
    this.clock = b.clock;
    this.executor = b.executor;
    this.batchSizeCounts = new long[maxBatchSize + 1];
    if (b.manual) {
      this.dispatcher = null;
    } else {
      String name = b.threadName != null ? b.threadName
          : "framecodec-batcher-" + THREAD_IDS.incrementAndGet();
      this.dispatcher = new Thread(this::dispatchLoop, name);
      dispatcher.setDaemon(true);
    }
  }

  /**
   * {@return a builder; {@link Builder#consumer} is required}
   *
   * @param <T> the type of the items
   */
  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  private Batcher<T> start() {
    if (dispatcher != null) {
      dispatcher.start();
    }
    return this;
  }

  /** {@return the largest batch emitted; a queue of this many items emits a batch at once} */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** {@return the longest an item waits before a batch is formed with it} */
  public Duration maxDelay() {
    return Duration.ofNanos(maxDelayNanos);
  }

  /**
   * {@return the preferred batch sizes in ascending order; empty when any size up to the maximum
   * will do}
   */
  public int[] preferredSizes() {
    return preferredSizes.clone();
  }

  /** {@return the most items that may wait} */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** {@return what a full queue does} */
  public OverflowPolicy overflowPolicy() {
    return policy;
  }

  /**
   * Queues one item, applying the overflow policy when the queue is full.
   *
   * @param streamId the source stream, not null
   * @param pts presentation timestamp in the caller's time base; carried, never interpreted
   * @param value the item, not null; the batcher keeps the reference until it is delivered
   * @return {@code true} if the item was queued; {@code false} if it was rejected (policy
   *     {@link OverflowPolicy#REJECT}) or the producer was interrupted while blocked (the
   *     interrupt flag is set again). Under {@link OverflowPolicy#DROP_OLDEST} always {@code true}.
   * @throws IllegalStateException if the batcher is closed, or closes while the producer waits
   *     for room
   */
  public boolean submit(String streamId, long pts, T value) {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(value, "value");
    BatchItem<T> lost = null;
    DropReason reason = null;
    lock.lock();
    try {
      ensureOpen(streamId, pts);
      if (pending.size() >= queueCapacity) {
        switch (policy) {
          case REJECT -> {
            rejected++;
            lost = new BatchItem<>(streamId, pts, -1, clock.nanoTime(), value);
            reason = DropReason.REJECTED;
          }
          case DROP_OLDEST -> {
            lost = pending.pollFirst();
            droppedOldest++;
            reason = DropReason.DROPPED_OLDEST;
            // A flush may have been waiting for exactly this item to leave.
            progress.signalAll();
          }
          case BLOCK -> {
            try {
              while (pending.size() >= queueCapacity && state == State.OPEN) {
                notFull.await();
              }
              ensureOpen(streamId, pts);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              interrupted++;
              lost = new BatchItem<>(streamId, pts, -1, clock.nanoTime(), value);
              reason = DropReason.INTERRUPTED;
            }
          }
        }
      }
      if (reason != DropReason.REJECTED && reason != DropReason.INTERRUPTED) {
        pending.addLast(new BatchItem<>(streamId, pts, nextItemSequence++, clock.nanoTime(), value));
        accepted++;
        int depth = pending.size();
        peakQueueDepth = Math.max(peakQueueDepth, depth);
        // Wake the dispatcher only when this item changes what it waits for: a first item starts
        // a deadline, a full queue is a batch. Signalling on every submit costs a wake-up each.
        if (depth == 1 || depth >= maxBatchSize) {
          work.signal();
        }
      }
    } finally {
      lock.unlock();
    }
    if (lost != null) {
      notifyDrop(lost, reason);
    }
    return reason != DropReason.REJECTED && reason != DropReason.INTERRUPTED;
  }

  private void ensureOpen(String streamId, long pts) {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          "batcher is closed; item of stream " + streamId + " at pts " + pts + " was not queued");
    }
  }

  private void notifyDrop(BatchItem<T> item, DropReason reason) {
    try {
      dropListener.onDrop(item, reason);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "drop listener threw on " + item + " (" + reason + ")", e);
    }
  }

  /**
   * Manual mode only: delivers every batch that is due now by the clock, on the calling thread,
   * and returns how many it delivered. Waits while another thread is delivering.
   *
   * @return the number of batches delivered
   * @throws IllegalStateException if the batcher has its own thread or an executor
   */
  public int tick() {
    if (dispatcher != null) {
      throw new IllegalStateException("tick() is for manual mode; this batcher delivers on "
          + (executor != null ? "an executor" : "thread " + dispatcher.getName()));
    }
    return deliverDue();
  }

  private int deliverDue() {
    int count = 0;
    lock.lock();
    try {
      while (true) {
        while (inFlight != null) {
          progress.awaitUninterruptibly();
        }
        Batch<T> batch = takeDue(clock.nanoTime());
        if (batch == null) {
          return count;
        }
        lock.unlock();
        try {
          runConsumer(batch);
        } finally {
          lock.lock();
        }
        count++;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes every item submitted so far due now and waits until all of them have been delivered
   * (or dropped). In manual mode it delivers them on the calling thread.
   *
   * @throws IllegalStateException when called from inside the consumer, which would wait for itself
   * @throws InterruptedException if interrupted while waiting; the items are still delivered
   */
  public void flush() throws InterruptedException {
    if (Thread.currentThread() == deliveringThread) {
      throw new IllegalStateException("flush() called from the consumer would wait for itself");
    }
    long target;
    lock.lock();
    try {
      target = nextItemSequence - 1;
      flushThrough = Math.max(flushThrough, target);
      work.signal();
    } finally {
      lock.unlock();
    }
    if (dispatcher == null) {
      deliverDue();
      return;
    }
    lock.lock();
    try {
      while (state != State.CLOSED && !doneThrough(target)) {
        progress.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /** True when no item with a sequence up to {@code target} is waiting or being delivered. */
  private boolean doneThrough(long target) {
    BatchItem<T> head = pending.peekFirst();
    return (head == null || head.sequence() > target)
        && (inFlight == null || inFlight.item(0).sequence() > target);
  }

  /**
   * Forms the next due batch and marks it in flight, or returns null. Caller holds the lock and
   * has checked that nothing is in flight.
   */
  private Batch<T> takeDue(long now) {
    BatchItem<T> head = pending.peekFirst();
    if (head == null) {
      return null;
    }
    int n = pending.size();
    BatchTrigger trigger;
    int size;
    if (n >= maxBatchSize) {
      trigger = BatchTrigger.SIZE;
      size = maxBatchSize;
    } else if (head.sequence() <= flushThrough) {
      trigger = state == State.OPEN ? BatchTrigger.FLUSH : BatchTrigger.CLOSE;
      size = partialSize(n);
    } else if (now - head.submitNanos() >= maxDelayNanos) {
      trigger = BatchTrigger.DEADLINE;
      size = partialSize(n);
    } else {
      return null;
    }
    List<BatchItem<T>> items = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      items.add(pending.pollFirst());
    }
    inFlight = new Batch<>(nextBatchSequence++, trigger, now, targetSize(size), items);
    notFull.signalAll();
    return inFlight;
  }

  /** Size of a batch cut early from {@code n < maxBatchSize} waiting items. */
  private int partialSize(int n) {
    for (int i = preferredSizes.length - 1; i >= 0; i--) {
      if (preferredSizes[i] <= n) {
        return preferredSizes[i];
      }
    }
    return n;
  }

  private int targetSize(int size) {
    for (int p : preferredSizes) {
      if (p >= size) {
        return p;
      }
    }
    return size;
  }

  /** Nanoseconds until the head item is due; -1 when the queue is empty. Caller holds the lock. */
  private long nanosUntilDue(long now) {
    BatchItem<T> head = pending.peekFirst();
    if (head == null) {
      return -1;
    }
    return Math.max(0, maxDelayNanos - (now - head.submitNanos()));
  }

  private void dispatchLoop() {
    lock.lock();
    try {
      while (true) {
        while (inFlight != null) {
          progress.awaitUninterruptibly();
        }
        if (state != State.OPEN && pending.isEmpty()) {
          break;
        }
        long now = clock.nanoTime();
        Batch<T> batch = takeDue(now);
        if (batch != null) {
          lock.unlock();
          try {
            deliver(batch);
          } finally {
            lock.lock();
          }
          continue;
        }
        long wait = nanosUntilDue(now);
        try {
          if (wait < 0) {
            work.await();
          } else {
            work.awaitNanos(wait);
          }
        } catch (InterruptedException e) {
          // Nobody but a stranger interrupts this thread; close() signals instead. Keep going.
          LOG.log(System.Logger.Level.DEBUG, "batcher thread interrupted; ignored");
        }
      }
      state = State.CLOSED;
      progress.signalAll();
    } catch (Throwable t) {
      // Only a VirtualMachineError from the consumer gets here; the queue cannot be served now.
      state = State.CLOSED;
      progress.signalAll();
      notFull.signalAll();
      throw t;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(Batch<T> batch) {
    if (executor == null) {
      runConsumer(batch);
      return;
    }
    try {
      executor.execute(() -> runConsumer(batch));
    } catch (RejectedExecutionException e) {
      // The caller's executor is shutting down; delivering here keeps the batch from being lost.
      LOG.log(System.Logger.Level.WARNING,
          "executor rejected " + batch + "; delivering it on the batcher thread", e);
      runConsumer(batch);
    }
  }

  private void runConsumer(Batch<T> batch) {
    long start = clock.nanoTime();
    for (BatchItem<T> item : batch.items()) {
      waits.record(start - item.submitNanos());
    }
    Throwable failure = null;
    deliveringThread = Thread.currentThread();
    try {
      consumer.accept(batch);
    } catch (VirtualMachineError e) {
      complete(batch, e);
      throw e;
    } catch (Throwable t) {
      failure = t;
    } finally {
      deliveringThread = null;
    }
    BatcherObserver[] watching = observers;
    if (watching.length > 0) {
      notifyObservers(watching, batch, start, failure != null);
    }
    complete(batch, failure);
    if (failure != null) {
      try {
        errorHandler.accept(batch, failure);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "error handler threw on " + batch, e);
      }
    }
  }

  private void complete(Batch<T> batch, Throwable failure) {
    lock.lock();
    try {
      inFlight = null;
      delivered += batch.size();
      batches++;
      batchSizeCounts[batch.size()]++;
      batchesByTrigger.merge(batch.trigger(), 1L, Long::sum);
      if (failure != null) {
        consumerFailures++;
      }
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void notifyObservers(BatcherObserver[] watching, Batch<T> batch, long start, boolean failed) {
    long end = clock.nanoTime();
    for (BatcherObserver o : watching) {
      try {
        o.delivered(batch, start, end, failed);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "batcher observer threw on " + batch, e);
      }
    }
  }

  /**
   * Attaches an observer, told about every batch delivered from now on; adding one twice makes
   * it be told twice. Meant for metrics; see {@link BatcherObserver}.
   *
   * @param observer the observer
   */
  public void addObserver(BatcherObserver observer) {
    Objects.requireNonNull(observer, "observer");
    synchronized (observersLock) {
      BatcherObserver[] grown = Arrays.copyOf(observers, observers.length + 1);
      grown[grown.length - 1] = observer;
      observers = grown;
    }
  }

  /**
   * Detaches one attachment of {@code observer}.
   *
   * @param observer the observer
   * @return false when it was not attached
   */
  public boolean removeObserver(BatcherObserver observer) {
    synchronized (observersLock) {
      BatcherObserver[] now = observers;
      for (int i = 0; i < now.length; i++) {
        if (now[i] == observer) {
          BatcherObserver[] shrunk = new BatcherObserver[now.length - 1];
          System.arraycopy(now, 0, shrunk, 0, i);
          System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
          observers = shrunk;
          return true;
        }
      }
      return false;
    }
  }

  /**
   * {@return a consistent snapshot of the counters; see {@link BatcherStats} for how they add up}
   */
  public BatcherStats stats() {
    lock.lock();
    try {
      return new BatcherStats(pending.size(), peakQueueDepth, queueCapacity,
          inFlight == null ? 0 : inFlight.size(), accepted, rejected, interrupted, droppedOldest,
          delivered, handedBack, batches, consumerFailures, batchSizeCounts, batchesByTrigger,
          waits);
    } finally {
      lock.unlock();
    }
  }

  /** {@return true once {@link #close()} or {@link #closeNow()} has been called} */
  public boolean isClosed() {
    lock.lock();
    try {
      return state != State.OPEN;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting items, delivers every waiting item in final batches (trigger
   * {@link BatchTrigger#CLOSE}, cut as a flush is), and waits for the batcher's thread to end.
   * Producers blocked for room get {@link IllegalStateException}. Idempotent; a second call
   * waits like the first. Called from inside the consumer it returns at once and the thread
   * ends after the remaining batches. If interrupted while waiting it returns early with the
   * interrupt flag set; delivery completes in the background.
   */
  @Override
  public void close() {
    beginClose();
    awaitTermination();
  }

  /**
   * Stops accepting items and hands the waiting ones back instead of delivering them: they are
   * returned in submit order and counted in {@link BatcherStats#handedBack()}. A batch already
   * being delivered completes first. After {@link #close()} has finished it returns an empty list.
   *
   * @return the items that were waiting, in submit order
   */
  public List<BatchItem<T>> closeNow() {
    List<BatchItem<T>> rest;
    lock.lock();
    try {
      beginCloseLocked();
      rest = new ArrayList<>(pending);
      pending.clear();
      handedBack += rest.size();
      progress.signalAll();
    } finally {
      lock.unlock();
    }
    awaitTermination();
    return rest;
  }

  private void beginClose() {
    lock.lock();
    try {
      beginCloseLocked();
    } finally {
      lock.unlock();
    }
  }

  private void beginCloseLocked() {
    if (state == State.OPEN) {
      state = State.CLOSING;
      flushThrough = Long.MAX_VALUE;
      work.signalAll();
      notFull.signalAll();
    }
  }

  private void awaitTermination() {
    Thread self = Thread.currentThread();
    if (self == dispatcher || self == deliveringThread) {
      // Called from the consumer: waiting would be waiting for ourselves. The delivery loop we
      // are inside goes on to deliver the rest, since everything is due once closing.
      return;
    }
    if (dispatcher == null) {
      deliverDue();
      lock.lock();
      try {
        state = State.CLOSED;
        progress.signalAll();
      } finally {
        lock.unlock();
      }
      return;
    }
    try {
      dispatcher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Batcher{max " + maxBatchSize + ", delay " + maxDelayNanos / 1_000_000.0 + " ms"
        + (preferredSizes.length > 0 ? ", preferred " + Arrays.toString(preferredSizes) : "")
        + ", queue " + queueCapacity + " " + policy + "}";
  }

  private static void logConsumerFailure(Batch<?> batch, Throwable t) {
    LOG.log(System.Logger.Level.WARNING, "batch consumer threw on " + batch + "; continuing", t);
  }

  /** The default listener: logs the first loss of each kind and then at 10, 100, 1000, ... */
  private static final class LoggingDropListener<T> implements DropListener<T> {
    private final Map<DropReason, AtomicLong> counts = new EnumMap<>(DropReason.class);

    LoggingDropListener() {
      for (DropReason r : DropReason.values()) {
        counts.put(r, new AtomicLong());
      }
    }

    @Override
    public void onDrop(BatchItem<T> item, DropReason reason) {
      long n = counts.get(reason).incrementAndGet();
      if (isPowerOfTen(n)) {
        LOG.log(System.Logger.Level.WARNING, "batcher: " + n + " item(s) lost as " + reason
            + " so far, latest " + item + "; set a DropListener to handle them");
      }
    }

    private static boolean isPowerOfTen(long n) {
      while (n >= 10 && n % 10 == 0) {
        n /= 10;
      }
      return n == 1;
    }
  }

  /**
   * Configures a {@link Batcher}; every value is checked here, with the bad value in the message,
   * and the whole configuration once more in {@link #build()}. Not thread-safe.
   *
   * @param <T> the item type
   */
  public static final class Builder<T> {
    private BatchConsumer<T> consumer;
    private int maxBatchSize = 16;
    private boolean maxBatchSizeSet;
    private long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(10);
    private int[] preferredSizes = new int[0];
    private int queueCapacity;
    private OverflowPolicy policy = OverflowPolicy.BLOCK;
    private DropListener<T> dropListener;
    private BiConsumer<Batch<T>, Throwable> errorHandler;
    private NanoClock clock = NanoClock.system();
    private Executor executor;
    private boolean manual;
    private String threadName;

    private Builder() {}

    /**
     * Where batches go; required.
     *
     * @param consumer receives every batch
     * @return this builder
     */
    public Builder<T> consumer(BatchConsumer<T> consumer) {
      this.consumer = Objects.requireNonNull(consumer, "consumer");
      return this;
    }

    /**
     * Largest batch, 1 to 65536; default 16, or the largest preferred size.
     *
     * @param size largest batch, 1 to 65536
     * @return this builder
     */
    public Builder<T> maxBatchSize(int size) {
      if (size < 1 || size > MAX_BATCH_SIZE_LIMIT) {
        throw new IllegalArgumentException(
            "maxBatchSize must be 1.." + MAX_BATCH_SIZE_LIMIT + ", got " + size);
      }
      this.maxBatchSize = size;
      this.maxBatchSizeSet = true;
      return this;
    }

    /**
     * Longest the oldest item waits for a batch to fill, zero or more; default 10 ms. At 50 fps
     * a stream brings a frame every 20 ms, so this is a direct trade of latency for batch size.
     *
     * @param delay the longest wait, zero or more
     * @return this builder
     */
    public Builder<T> maxDelay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("maxDelay must not be negative, got " + delay);
      }
      this.maxDelayNanos = saturatedNanos(delay);
      return this;
    }

    /**
     * Batch sizes the model prefers, e.g. 16, 32, 64; the largest is the maximum batch size.
     * Distinct, positive, at most 65536; any order. No argument clears them.
     *
     * @param sizes preferred batch sizes
     * @return this builder
     */
    public Builder<T> preferredSizes(int... sizes) {
      Objects.requireNonNull(sizes, "sizes");
      int[] sorted = sizes.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (sorted[i] < 1 || sorted[i] > MAX_BATCH_SIZE_LIMIT) {
          throw new IllegalArgumentException("preferred sizes must be 1.." + MAX_BATCH_SIZE_LIMIT
              + ", got " + sorted[i] + " in " + Arrays.toString(sizes));
        }
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw new IllegalArgumentException(
              "preferred size " + sorted[i] + " appears twice in " + Arrays.toString(sizes));
        }
      }
      this.preferredSizes = sorted;
      return this;
    }

    /**
     * Most items that may wait, at least the maximum batch size; default 4 x the maximum batch
     * size.
     *
     * @param capacity most items that may wait
     * @return this builder
     */
    public Builder<T> queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be positive, got " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * What a full queue does; default {@link OverflowPolicy#BLOCK}. Live streams want {@link
     * OverflowPolicy#DROP_OLDEST}.
     *
     * @param policy what a full queue does
     * @return this builder
     */
    public Builder<T> overflowPolicy(OverflowPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Told about every item lost to the overflow policy; default: counted and logged sparingly.
     *
     * @param listener called for every lost item
     * @return this builder
     */
    public Builder<T> dropListener(DropListener<T> listener) {
      this.dropListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Told about every exception the consumer throws, after the batch is counted; default: logged.
     *
     * @param handler called with the batch and the exception
     * @return this builder
     */
    public Builder<T> errorHandler(BiConsumer<Batch<T>, Throwable> handler) {
      this.errorHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * The clock for submit times and deadlines; default {@link NanoClock#system()}. The batcher's
     * own thread sleeps in real time until the next deadline, so a clock that does not follow
     * real time belongs with {@link #manual()}.
     *
     * @param clock the clock to read
     * @return this builder
     */
    public Builder<T> clock(NanoClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs the consumer on {@code executor}. The batcher still owns one thread that forms batches
     * and waits for each delivery to finish, so batches stay in order and one at a time. A
     * rejected task is run on the batcher's thread.
     *
     * @param executor runs the consumer
     * @return this builder
     */
    public Builder<T> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      this.manual = false;
      return this;
    }

    /**
     * Names the batcher's own thread; default {@code framecodec-batcher-N}.
     *
     * @param name the thread name
     * @return this builder
     */
    public Builder<T> threadName(String name) {
      this.threadName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * No batcher thread: batches are delivered only by {@link Batcher#tick()}, {@link
     * Batcher#flush()} and {@link Batcher#close()}, on the calling thread. With
     * {@link OverflowPolicy#BLOCK}, a producer that is also the only ticker waits forever on a
     * full queue; tick from another thread or choose another policy.
     *
     * @return this builder
     */
    public Builder<T> manual() {
      this.manual = true;
      this.executor = null;
      return this;
    }

    /**
     * Builds and starts the batcher.
     *
     * @return the running batcher
     */
    public Batcher<T> build() {
      return new Batcher<>(this).start();
    }

    private static long saturatedNanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
  }
}
