package org.framecodec.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.batch.Batch;
import org.framecodec.batch.BatchItem;
import org.framecodec.batch.Batcher;
import org.framecodec.batch.OverflowPolicy;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;

/**
 * A member of a Kafka consumer group that runs a {@link Detector} on frame records and writes
 * each frame's detections to a results topic. Start one per detector (one per GPU, or per CPU
 * detector); the group spreads the frames topic's partitions, and so the streams, over them and
 * moves them when a worker joins, leaves or dies.
 *
 * <pre>
 *  poll thread                  batcher thread                    writer thread
 *  poll ─▶ deserialize ─▶ Batcher ─▶ detector.detectEncodedAsync ─▶ await, in submit order
 *   ▲        │ poison                 (up to batchesInFlight)          │ bad JPEG
 *   │        ▼                                                         ▼
 *   │   dead-letter topic ◀────────────────────────────────────────────┤
 *   │                                                                  ▼
 *   │                    results topic: one record per frame, key = stream id,
 *   │                    value = DetectionsJson of that frame, headers stream/frame/pts/source
 *   │                                                                  │ broker acknowledges
 *   └── commit offset (one past the longest acknowledged prefix, per partition) ◀──────┘
 * </pre>
 *
 * <p><b>Batching.</b> Records from every partition the worker owns go through one {@link
 * Batcher} (size and deadline), so a GPU gets full batches from many streams. Up to {@code
 * batchesInFlight} batches (default 3) are in the detector at once, so its decode workers, model
 * and post-processing overlap; their results are written in the order the batches were made. Per
 * partition, and so per stream, frames reach the detector and their results reach the results
 * topic in offset order.
 *
 * <p><b>Delivery: at-least-once, no frame lost.</b> An offset is committed only after the result
 * of that frame, and of every earlier frame of the partition, has been acknowledged by the broker
 * (or its dead letter has). If the worker dies, its partitions' next owner starts at the last
 * committed offset and processes again the frames after it, whose results this worker may
 * already have written. <b>Duplicates are therefore possible after a crash, and detectable: a
 * result is identified by (stream id, frame number)</b>, both in its headers; {@link
 * DetectionResultReader} drops the second copy. The frame's source offset is in the {@link
 * FrameHeaders#SOURCE} header of each result.
 *
 * <p><b>Rebalance.</b> When partitions are taken away (another worker joined, or this one is
 * closing), the worker first lets the frames it already polled from them finish (for up to the
 * close timeout), then stops writing results for them, waits for the results handed to the Kafka
 * client to be acknowledged, commits their offsets synchronously, and only then lets the
 * partitions go: no result is written for a partition the worker no longer owns, and what it did
 * finish is not done again. Frames still unfinished when the timeout passes are abandoned
 * (counted in {@link DetectionWorkerStats#abandoned()}); the next owner processes them. When the group expels the worker instead (partitions <em>lost</em>, e.g. after a long
 * pause), nothing is committed for them.
 *
 * <p><b>Poison records.</b> A record whose value is not one valid frame container, lacks a
 * stream id or frame number, has a key other than its stream id, or whose JPEG the detector
 * cannot decode, is written unchanged (value, key, headers, plus {@link FrameHeaders#SOURCE} and
 * {@link FrameHeaders#ERROR}) to the dead-letter topic and counted; the stream goes on.
 *
 * <p><b>Failures.</b> If the detector fails for a reason other than bad input, or a result or
 * dead letter cannot be written (the broker was unreachable for {@code delivery.timeout.ms}),
 * the worker commits what is safely done, leaves the group so its partitions move to the other
 * workers, and stops; {@link #failure()} says why.
 *
 * <p><b>Flow control.</b> At most {@code maxInFlight} records are between poll and
 * acknowledgement; beyond that the worker pauses fetching (and keeps polling, so the group does
 * not think it dead) until half have completed. Memory is bounded by that and {@code
 * max.poll.records}.
 *
 * <p><b>Threads.</b> The worker submits batches from the batcher's thread and, to find a bad
 * payload in a failed batch, detects its frames one by one from the writer thread; the {@link
 * Detector} is thread-safe, and may be shared with other users. The worker does not close it.
 * Methods of this class may be called from any thread. {@link #close()}
 * finishes the records already polled, commits, leaves the group and stops; idempotent.
 */
public final class DetectionWorker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DetectionWorker.class.getName());
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String name;
  private final String framesTopic;
  private final String resultsTopic;
  private final String deadLetterTopic;
  private final Duration pollTimeout;
  private final long commitIntervalNanos;
  private final Duration closeTimeout;
  private final int maxInFlight;
  private final Detector detector;
  private final EncodedFrameDeserializer deserializer;
  private final Consumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final Batcher<Work> batcher;
  /** Batches in the detector, in submit order; the writer takes them. */
  private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
  /** One permit per batch that may be in the detector or waiting to be written. */
  private final Semaphore detectorSlots;
  private final Thread pollThread;
  private final Thread writerThread;

  /** Held (read) by the detect thread while it writes results; (write) by a revocation. */
  private final ReentrantReadWriteLock ownership = new ReentrantReadWriteLock();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final CountDownLatch terminated = new CountDownLatch(1);

  // Poll thread only.
  private final Map<TopicPartition, Owned> owned = new HashMap<>();
  private int inFlightCount;
  private boolean paused;
  private long lastCommitNanos;

  private volatile Set<TopicPartition> assignmentView = Set.of();
  private volatile int inFlightView;
  private volatile boolean stopRequested;
  private volatile boolean haltRequested;
  private volatile Throwable failure;

  private final AtomicLong polled = new AtomicLong();
  private final AtomicLong detected = new AtomicLong();
  private final AtomicLong resultsAcked = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong partitionsAssigned = new AtomicLong();
  private final AtomicLong partitionsRevoked = new AtomicLong();
  private final AtomicLong partitionsLost = new AtomicLong();
  private final AtomicLong pauses = new AtomicLong();

  /** One partition while this worker owns it; a new object per assignment. */
  private static final class Owned {
    final TopicPartition partition;
    final OffsetTracker tracker = new OffsetTracker();
    /** Set under the ownership write lock; read by the detect thread under the read lock. */
    volatile boolean revoked;
    long lastCommitted = -1;
    /** Records polled and not yet completed (done or abandoned); poll thread only. */
    int inFlight;

    Owned(TopicPartition partition) {
      this.partition = partition;
    }
  }

  /** A frame on its way through the detector. */
  private record Work(Owned owner, ConsumerRecord<String, byte[]> record, EncodedFrame frame) {}

  /** A batch in the detector: its frames, and the future of their detections. */
  private record Pending(List<Work> live, List<EncodedFrame> frames,
      CompletableFuture<DetectionBatch> result) {
    /** Queued last by a stopping worker: the writer ends when it takes it. */
    static final Pending END = new Pending(List.of(), List.of(), CompletableFuture.completedFuture(null));
  }

  /** What happened to a polled record: done (result or dead letter acknowledged) or abandoned. */
  private record Completion(Owned owner, long offset, boolean done) {}

  private DetectionWorker(Builder b, Consumer<String, byte[]> consumer,
      Producer<String, byte[]> producer, String name) {
    this.name = name;
    this.framesTopic = b.framesTopic;
    this.resultsTopic = b.resultsTopic;
    this.deadLetterTopic = b.deadLetterTopic != null ? b.deadLetterTopic : b.framesTopic + ".dlt";
    this.pollTimeout = b.pollTimeout;
    this.commitIntervalNanos = b.commitInterval.toNanos();
    this.closeTimeout = b.closeTimeout;
    this.maxInFlight = b.maxInFlight > 0 ? b.maxInFlight : 4 * b.maxBatchSize;
    this.detector = b.detector;
    this.deserializer = new EncodedFrameDeserializer(b.limits);
    this.consumer = consumer;
    this.producer = producer;
    int maxPollRecords = b.maxPollRecords();
    this.batcher = Batcher.<Work>builder()
        .maxBatchSize(b.maxBatchSize)
        .maxDelay(b.maxDelay)
        // Room for every record in flight plus one poll's worth: submit never blocks the poll thread.
        .queueCapacity(maxInFlight + maxPollRecords)
        .overflowPolicy(OverflowPolicy.BLOCK)
        .consumer(this::detectBatch)
        .threadName(name + "-detect")
        .build();
    this.detectorSlots = new Semaphore(b.batchesInFlight);
    this.pollThread = new Thread(this::pollLoop, name + "-poll");
    pollThread.setDaemon(true);
    this.writerThread = new Thread(this::writeLoop, name + "-write");
    writerThread.setDaemon(true);
  }

  /** {@return a new builder; bootstrap servers, the frames and results topics and the detector are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return this worker's name, also its Kafka client id} */
  public String name() {
    return name;
  }

  /** {@return the frames-topic partitions this worker owns now} */
  public Set<TopicPartition> assignment() {
    return assignmentView;
  }

  /** {@return the counters now; see {@link DetectionWorkerStats} for how they add up} */
  public DetectionWorkerStats stats() {
    return new DetectionWorkerStats(polled.get(), detected.get(), resultsAcked.get(),
        deadLettered.get(), abandoned.get(), inFlightView, commits.get(), partitionsAssigned.get(),
        partitionsRevoked.get(), partitionsLost.get(), pauses.get(), assignmentView.size(),
        batcher.stats());
  }

  /** {@return true until the worker has stopped (closed, halted or failed)} */
  public boolean isRunning() {
    return terminated.getCount() > 0;
  }

  /** {@return why the worker stopped on its own, empty if it did not} */
  public java.util.Optional<Throwable> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  /**
   * Waits for the worker to stop; true if it did within the timeout.
   *
   * @param timeout how long to wait
   * @return true if the worker stopped within the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Finishes the records already polled (detects them and writes their results), commits, leaves
   * the group (its partitions move to the other workers) and stops; waits up to the close
   * timeout. Idempotent; does not close the detector.
   */
  @Override
  public void close() {
    stopRequested = true;
    join();
  }

  /**
   * Stops as a crash would: queued frames are dropped, results not yet sent are discarded,
   * nothing is committed, and the consumer does not leave the group (its partitions move when the
   * group's session timeout expires). For tests and fault drills.
   */
  void halt() {
    haltRequested = true;
    join();
  }

  private void join() {
    if (Thread.currentThread() == pollThread) {
      return;
    }
    try {
      if (!terminated.await(closeTimeout.toNanos() + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS)) {
        LOG.log(System.Logger.Level.WARNING, name + " did not stop within the close timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private DetectionWorker start() {
    writerThread.start();
    pollThread.start();
    return this;
  }

  /** Ends the writer after the batches already pending; called once the batcher has stopped. */
  private void stopWriter() {
    try {
      pending.put(Pending.END);
      writerThread.join(closeTimeout.toMillis() + 10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writerThread.isAlive()) {
      LOG.log(System.Logger.Level.WARNING, name + ": the writer did not finish within the close timeout");
    }
  }

  // ---------------------------------------------------------------- poll thread

  private void pollLoop() {
    try {
      consumer.subscribe(List.of(framesTopic), new Rebalance());
      while (!stopRequested && !haltRequested && failure == null) {
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        for (ConsumerRecord<String, byte[]> r : records) {
          accept(r);
        }
        drainCompletions();
        commitDone(false);
        flowControl();
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    }
    try {
      if (haltRequested) {
        haltNow();
      } else {
        shutDown();
      }
    } finally {
      assignmentView = Set.of();
      terminated.countDown();
    }
  }

  /** Registers a polled record, then queues its frame or dead-letters it. */
  private void accept(ConsumerRecord<String, byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Owned owner = owned.get(tp);
    if (owner == null) {
      // poll() returns records of owned partitions only; a stray one is not ours to process.
      return;
    }
    owner.tracker.register(r.offset());
    owner.inFlight++;
    inFlightCount++;
    polled.incrementAndGet();
    EncodedFrame frame;
    try {
      frame = frameOf(r);
    } catch (FrameFormatException e) {
      deadLetter(owner, r, e);
      return;
    }
    batcher.submit(frame.streamId().get(), frame.timestampMicros().orElse(0),
        new Work(owner, r, frame));
  }

  private EncodedFrame frameOf(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      throw new org.framecodec.CorruptPayloadException("record has no value (a tombstone)");
    }
    EncodedFrame f = deserializer.deserialize(r.topic(), r.headers(), r.value());
    String stream = f.streamId().orElseThrow(() ->
        new org.framecodec.CorruptPayloadException("frame has no stream id"));
    if (f.frameNumber().isEmpty()) {
      throw new org.framecodec.CorruptPayloadException("frame of stream " + stream + " has no frame number");
    }
    if (!stream.equals(r.key())) {
      throw new org.framecodec.CorruptPayloadException("record key '" + r.key()
          + "' is not the frame's stream id '" + stream + "'; the stream would not stay on one partition");
    }
    return f;
  }

  private void drainCompletions() {
    Completion c;
    while ((c = completions.poll()) != null) {
      inFlightCount--;
      c.owner().inFlight--;
      if (c.done() && !c.owner().revoked && owned.get(c.owner().partition) == c.owner()) {
        c.owner().tracker.markDone(c.offset());
      }
    }
    inFlightView = inFlightCount;
  }

  /** Commits every owned partition whose done prefix has grown; synchronously when asked. */
  private void commitDone(boolean sync) {
    long now = System.nanoTime();
    if (!sync && now - lastCommitNanos < commitIntervalNanos) {
      return;
    }
    commit(owned.values(), sync);
    lastCommitNanos = now;
  }

  private void commit(Collection<Owned> partitions, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Owned o : partitions) {
      long c = o.tracker.committable();
      // A synchronous commit (hand-over, close) sends the last offset again: the asynchronous
      // commit of it may have failed, as they do while a rebalance is under way, and the next
      // owner starts from what the broker holds, so a lost commit would be frames done twice.
      if (c > o.lastCommitted || (sync && c >= 0)) {
        offsets.put(o.partition, new OffsetAndMetadata(c));
        o.lastCommitted = c;
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    commits.incrementAndGet();
    if (!sync) {
      consumer.commitAsync(offsets, (o, e) -> {
        if (e != null) {
          // A later commit covers these offsets; if none comes, the frames are redone (duplicates).
          LOG.log(System.Logger.Level.DEBUG, name + ": asynchronous commit failed: " + e);
        }
      });
      return;
    }
    try {
      consumer.commitSync(offsets, closeTimeout);
    } catch (KafkaException e) {
      LOG.log(System.Logger.Level.WARNING, name + ": commit of " + offsets + " failed; those"
          + " frames will be processed again by the partitions' next owner", e);
    }
  }

  private void flowControl() {
    if (!paused && inFlightCount >= maxInFlight) {
      consumer.pause(consumer.assignment());
      paused = true;
      pauses.incrementAndGet();
    } else if (paused && inFlightCount <= maxInFlight / 2) {
      consumer.resume(consumer.assignment());
      paused = false;
    }
  }

  /** Runs inside poll() on the poll thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        owned.put(tp, new Owned(tp));
      }
      if (paused && !partitions.isEmpty()) {
        consumer.pause(partitions);
      }
      partitionsAssigned.addAndGet(partitions.size());
      assignmentView = Set.copyOf(owned.keySet());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      handOver(partitions, !haltRequested);
      partitionsRevoked.addAndGet(partitions.size());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      handOver(partitions, false);
      partitionsLost.addAndGet(partitions.size());
    }
  }

  /**
   * Lets partitions go: no result is written for them from now on; with {@code commit}, the
   * results already handed to the client are awaited and their offsets committed first.
   */
  private void handOver(Collection<TopicPartition> partitions, boolean commit) {
    List<Owned> leaving = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Owned o = owned.get(tp);
      if (o != null) {
        leaving.add(o);
      }
    }
    if (leaving.isEmpty()) {
      return;
    }
    if (commit) {
      awaitInFlight(leaving);
    }
    ownership.writeLock().lock();
    try {
      for (Owned o : leaving) {
        o.revoked = true;
      }
    } finally {
      ownership.writeLock().unlock();
    }
    if (commit) {
      try {
        producer.flush();
      } catch (KafkaException e) {
        LOG.log(System.Logger.Level.WARNING, name + ": flushing results on hand-over failed", e);
      }
      // Mark what was acknowledged while the partitions were still ours, then commit it.
      Completion c;
      List<Completion> later = new ArrayList<>();
      while ((c = completions.poll()) != null) {
        if (c.done() && leaving.contains(c.owner())) {
          c.owner().tracker.markDone(c.offset());
        }
        later.add(c);
      }
      completions.addAll(later);
      commit(leaving, true);
    }
    for (Owned o : leaving) {
      owned.remove(o.partition);
    }
    assignmentView = Set.copyOf(owned.keySet());
  }

  /**
   * Lets the frames already polled from {@code leaving} finish, for up to the close timeout:
   * frames of one partition can finish out of offset order (several streams share it), and a
   * finished frame past an abandoned one would be done again by the next owner.
   */
  private void awaitInFlight(List<Owned> leaving) {
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    while (failure == null && !haltRequested) {
      drainCompletions();
      boolean busy = false;
      for (Owned o : leaving) {
        busy |= o.inFlight > 0;
      }
      if (!busy || System.nanoTime() - deadline >= 0) {
        return;
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }

  private void shutDown() {
    try {
      consumer.pause(consumer.assignment());
      if (failure == null) {
        batcher.close();
      } else {
        for (BatchItem<Work> w : batcher.closeNow()) {
          completions.add(new Completion(w.value().owner(), w.value().record().offset(), false));
        }
      }
      stopWriter();
      try {
        producer.flush();
      } catch (KafkaException e) {
        LOG.log(System.Logger.Level.WARNING, name + ": flushing results at close failed", e);
      }
      drainCompletions();
      commit(owned.values(), true);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, name + ": error while stopping", e);
    } finally {
      closeQuietly(() -> consumer.close(CloseOptions.timeout(closeTimeout)));
      closeQuietly(() -> producer.close(closeTimeout));
    }
  }

  private void haltNow() {
    batcher.closeNow();
    stopWriter();
    closeQuietly(() -> producer.close(Duration.ZERO));
    closeQuietly(() -> consumer.close(CloseOptions.timeout(Duration.ZERO)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)));
  }

  private void closeQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, name + ": error while closing", e);
    }
  }

  private void fail(Throwable e) {
    if (failure == null) {
      failure = e;
      LOG.log(System.Logger.Level.ERROR, name + " is stopping: " + e, e);
    }
  }

  // ---------------------------------------------------------------- detect and write threads

  /**
   * The batcher's consumer: hands the batch to the detector without waiting for it, and queues
   * it for the writer. Waits while {@code batchesInFlight} batches are in the detector or being
   * written, so the batcher's queue, and then the poll thread's flow control, hold back the input.
   */
  private void detectBatch(Batch<Work> batch) {
    try {
      List<Work> live = new ArrayList<>(batch.size());
      for (BatchItem<Work> item : batch.items()) {
        Work w = item.value();
        if (w.owner().revoked || failure != null || haltRequested) {
          abandon(w);
        } else {
          live.add(w);
        }
      }
      if (live.isEmpty()) {
        return;
      }
      List<EncodedFrame> frames = new ArrayList<>(live.size());
      for (Work w : live) {
        frames.add(w.frame());
      }
      detectorSlots.acquire();
      CompletableFuture<DetectionBatch> result;
      try {
        result = detector.detectEncodedAsync(frames);
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      pending.put(new Pending(live, frames, result));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(e);
    } catch (RuntimeException | Error e) {
      // A bug, not bad input: without a completion these offsets could never be committed.
      fail(e);
      throw e;
    }
  }

  /** The writer thread: takes pending batches in submit order and writes their results. */
  private void writeLoop() {
    while (true) {
      Pending p;
      try {
        p = pending.take();
      } catch (InterruptedException e) {
        // Only stop() interrupts, after queueing the end marker; keep draining to it.
        continue;
      }
      if (p == Pending.END) {
        return;
      }
      try {
        write(p);
      } catch (RuntimeException | Error e) {
        fail(e);
        p.live().forEach(this::abandon);
      } finally {
        detectorSlots.release();
      }
    }
  }

  private void write(Pending p) {
    List<Work> live = p.live();
    List<List<Detection>> perFrame = new ArrayList<>(live.size());
    List<FrameFormatException> bad = new ArrayList<>(live.size());
    try {
      awaitDetections(p, perFrame, bad);
    } catch (RuntimeException e) {
      if (!haltRequested) {
        fail(new KafkaPipelineException(name + ": the detector failed on a batch of " + live.size()
            + " frames; stopping so the partitions move to another worker", e));
      }
      live.forEach(this::abandon);
      return;
    }
    ownership.readLock().lock();
    try {
      for (int i = 0; i < live.size(); i++) {
        Work w = live.get(i);
        if (w.owner().revoked || haltRequested) {
          abandon(w);
        } else if (bad.get(i) != null) {
          deadLetter(w.owner(), w.record(), bad.get(i));
        } else {
          writeResult(w, perFrame.get(i));
        }
      }
    } finally {
      ownership.readLock().unlock();
    }
  }

  /**
   * Waits for the batch's detections; if a payload is bad (the whole batch fails then), runs each
   * frame alone to find which, so one poison frame costs its batch a retry, not its results.
   */
  private void awaitDetections(Pending p, List<List<Detection>> perFrame,
      List<FrameFormatException> bad) {
    try {
      DetectionBatch out = p.result().join();
      perFrame.addAll(out.all());
      for (int i = 0; i < p.frames().size(); i++) {
        bad.add(null);
      }
      detected.addAndGet(p.frames().size());
      return;
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (!(cause instanceof FrameFormatException)) {
        throw cause instanceof RuntimeException re ? re : new KafkaPipelineException(cause.toString(), cause);
      }
      LOG.log(System.Logger.Level.DEBUG, name + ": a payload in the batch is bad; detecting one by one");
    }
    for (EncodedFrame f : p.frames()) {
      try {
        perFrame.add(detector.detectEncoded(List.of(f)).get(0));
        bad.add(null);
        detected.incrementAndGet();
      } catch (FrameFormatException e) {
        perFrame.add(List.of());
        bad.add(e);
      }
    }
  }

  private void writeResult(Work w, List<Detection> detections) {
    EncodedFrame f = w.frame();
    ConsumerRecord<String, byte[]> r = w.record();
    ProducerRecord<String, byte[]> out = ResultRecords.toRecord(resultsTopic, f.streamId().get(),
        f.frameNumber().getAsLong(), f.timestampMicros().orElse(0), detections,
        FrameHeaders.source(r.topic(), r.partition(), r.offset()));
    send(out, w.owner(), r.offset(), resultsAcked, "result");
  }

  private void abandon(Work w) {
    abandoned.incrementAndGet();
    completions.add(new Completion(w.owner(), w.record().offset(), false));
  }

  // ---------------------------------------------------------------- both threads

  /** Writes the record as it came, with its origin and the reason, to the dead-letter topic. */
  private void deadLetter(Owned owner, ConsumerRecord<String, byte[]> r, Exception why) {
    ProducerRecord<String, byte[]> out = new ProducerRecord<>(deadLetterTopic, r.key(), r.value());
    for (Header h : r.headers()) {
      out.headers().add(h.key(), h.value());
    }
    Headers h = out.headers();
    FrameHeaders.put(h, FrameHeaders.SOURCE, FrameHeaders.source(r.topic(), r.partition(), r.offset()));
    String reason = why.getClass().getSimpleName() + ": " + why.getMessage();
    FrameHeaders.put(h, FrameHeaders.ERROR, reason.length() > 900 ? reason.substring(0, 900) : reason);
    LOG.log(System.Logger.Level.WARNING, name + ": poison record "
        + FrameHeaders.source(r.topic(), r.partition(), r.offset()) + " to " + deadLetterTopic + ": " + reason);
    send(out, owner, r.offset(), deadLettered, "dead letter");
  }

  private void send(ProducerRecord<String, byte[]> out, Owned owner, long offset, AtomicLong counter,
      String what) {
    try {
      producer.send(out, (md, e) -> {
        if (e == null) {
          counter.incrementAndGet();
          completions.add(new Completion(owner, offset, true));
        } else {
          completions.add(new Completion(owner, offset, false));
          if (!haltRequested) {
            fail(new KafkaPipelineException(name + ": the " + what + " for " + FrameHeaders.source(
                owner.partition.topic(), owner.partition.partition(), offset) + " could not be written to "
                + out.topic() + "; stopping without committing it", e));
          }
        }
      });
    } catch (KafkaException e) {
      completions.add(new Completion(owner, offset, false));
      if (!haltRequested) {
        fail(new KafkaPipelineException(name + ": cannot write a " + what + " to " + out.topic(), e));
      }
    }
  }

  @Override
  public String toString() {
    return "DetectionWorker{" + name + ", " + framesTopic + " -> " + resultsTopic + ", owns "
        + assignmentView.size() + " partitions}";
  }

  /**
   * Configures a {@link DetectionWorker}; values are checked here with the bad value in the
   * message. Not thread-safe.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String framesTopic;
    private String resultsTopic;
    private String deadLetterTopic;
    private String groupId = "framecodec-detect";
    private String name;
    private Detector detector;
    private int maxBatchSize = 64;
    private Duration maxDelay = Duration.ofMillis(20);
    private int maxInFlight;
    private int batchesInFlight = 3;
    private Limits limits = Limits.defaults();
    private Duration pollTimeout = Duration.ofMillis(100);
    private Duration commitInterval = Duration.ofMillis(100);
    private Duration startupTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private final ClientProperties consumerProperties = ClientProperties.consumer();
    private final ClientProperties producerProperties = ClientProperties.producer("");

    private Builder() {}

    /**
     * {@code host:port[,host:port...]} of the brokers; required.
     *
     * @param servers host:port[,host:port...] of the brokers
     * @return this builder
     */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = KafkaSettings.checkBootstrap(servers);
      return this;
    }

    /**
     * The topic to read frames from; required.
     *
     * @param topic the frames topic
     * @return this builder
     */
    public Builder framesTopic(String topic) {
      this.framesTopic = KafkaSettings.checkTopic("framesTopic", topic);
      return this;
    }

    /**
     * The topic to write detections to; required.
     *
     * @param topic the results topic
     * @return this builder
     */
    public Builder resultsTopic(String topic) {
      this.resultsTopic = KafkaSettings.checkTopic("resultsTopic", topic);
      return this;
    }

    /**
     * Where poison records go; default the frames topic's name plus {@code .dlt}.
     *
     * @param topic the dead-letter topic
     * @return this builder
     */
    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = KafkaSettings.checkTopic("deadLetterTopic", topic);
      return this;
    }

    /**
     * The consumer group; default {@code framecodec-detect}. Workers of one group share the frames.
     *
     * @param groupId the consumer group id
     * @return this builder
     */
    public Builder groupId(String groupId) {
      Objects.requireNonNull(groupId, "groupId");
      if (groupId.isBlank()) {
        throw new IllegalArgumentException("groupId must not be blank");
      }
      this.groupId = groupId;
      return this;
    }

    /**
     * This worker's name and Kafka client id; default {@code framecodec-worker-N}.
     *
     * @param name the worker name, also its client id
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The detector; required. The worker keeps up to {@code batchesInFlight} batches in it at
     * once; it is not closed by the worker.
     *
     * @param detector the detector
     * @return this builder
     */
    public Builder detector(Detector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * Largest batch handed to the detector, 1..4096; default 64.
     *
     * @param size the largest batch
     * @return this builder
     */
    public Builder maxBatchSize(int size) {
      if (size < 1 || size > 4096) {
        throw new IllegalArgumentException("maxBatchSize must be 1..4096, got " + size);
      }
      this.maxBatchSize = size;
      return this;
    }

    /**
     * Longest the oldest frame waits for its batch to fill; default 20 ms.
     *
     * @param delay the longest wait, zero or more
     * @return this builder
     */
    public Builder maxDelay(Duration delay) {
      this.maxDelay = KafkaSettings.notNegative("maxDelay", delay);
      return this;
    }

    /**
     * Most records between poll and acknowledgement before fetching pauses; default 4 x maxBatchSize.
     *
     * @param records the most records in progress
     * @return this builder
     */
    public Builder maxInFlight(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("maxInFlight must be positive, got " + records);
      }
      this.maxInFlight = records;
      return this;
    }

    /**
     * Batches handed to the detector and not yet written, 1..64; default 3, the depth of the
     * detector's own pipeline, so that its decode workers, the model and post-processing all have
     * work. 1 waits for each batch before submitting the next.
     *
     * @param batches the most batches in the detector at once
     * @return this builder
     */
    public Builder batchesInFlight(int batches) {
      if (batches < 1 || batches > 64) {
        throw new IllegalArgumentException("batchesInFlight must be 1..64, got " + batches);
      }
      this.batchesInFlight = batches;
      return this;
    }

    /**
     * Limits for reading frame records; default {@link Limits#defaults()}.
     *
     * @param limits the limits to enforce
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How long one poll waits for records; default 100 ms. Also how soon a close is noticed.
     *
     * @param timeout the time limit, positive
     * @return this builder
     */
    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = KafkaSettings.positive("pollTimeout", timeout);
      return this;
    }

    /**
     * Least time between two offset commits while running; default 100 ms. Longer means fewer
     * commit requests and, after a crash, more frames processed twice (about this interval's
     * worth of results).
     *
     * @param interval the least time between commits, positive
     * @return this builder
     */
    public Builder commitInterval(Duration interval) {
      this.commitInterval = KafkaSettings.positive("commitInterval", interval);
      return this;
    }

    /**
     * How long {@link #build()} waits for the broker to show the topics; default 30 s.
     *
     * @param timeout the time limit, positive
     * @return this builder
     */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = KafkaSettings.positive("startupTimeout", timeout);
      return this;
    }

    /**
     * Bound on each step of {@link DetectionWorker#close()} that waits for the broker; default 30 s.
     *
     * @param timeout the time limit, positive
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = KafkaSettings.positive("closeTimeout", timeout);
      return this;
    }

    /**
     * A Kafka consumer property over this class's settings ({@code enable.auto.commit=false},
     * {@code auto.offset.reset=earliest}, {@code max.poll.records} = 2 x maxBatchSize, the
     * cooperative-sticky assignor). Offsets are committed by the worker, so auto commit cannot
     * be turned on; the deserializers are fixed.
     * @param key the Kafka consumer property name
     * @param value its value
     * @return this builder
     */
    public Builder consumerProperty(String key, Object value) {
      KafkaSettings.checkProperty(key, value);
      if (key.equals(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG) && !"false".equals(String.valueOf(value))) {
        throw new IllegalArgumentException("enable.auto.commit must stay false: the worker commits"
            + " an offset only after its result is acknowledged");
      }
      consumerProperties.set(key, value);
      return this;
    }

    /**
     * A Kafka producer property for the results and dead-letter writer, over this class's settings (idempotent, {@code acks=all}).
     *
     * @param key the Kafka producer property name
     * @param value its value
     * @return this builder
     */
    public Builder producerProperty(String key, Object value) {
      producerProperties.set(key, value);
      return this;
    }

    int maxPollRecords() {
      Object v = consumerProperties.override(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
      return v != null ? Integer.parseInt(v.toString()) : 2 * maxBatchSize;
    }

    /**
     * Connects, checks that the three topics exist (up to the startup timeout), joins the group
     * and starts the poll and detect threads.
     *
     * @throws KafkaPipelineException when a topic cannot be found in time
     * @return the running worker
     */
    public DetectionWorker build() {
      KafkaSettings.required(bootstrapServers, "bootstrapServers");
      KafkaSettings.required(framesTopic, "framesTopic");
      KafkaSettings.required(resultsTopic, "resultsTopic");
      KafkaSettings.required(detector, "detector");
      String dlt = deadLetterTopic != null ? deadLetterTopic : framesTopic + ".dlt";
      if (Set.of(framesTopic, resultsTopic, dlt).size() != 3) {
        throw new IllegalArgumentException("frames, results and dead-letter topics must differ: "
            + framesTopic + ", " + resultsTopic + ", " + dlt);
      }
      String workerName = name != null ? name : "framecodec-worker-" + IDS.incrementAndGet();
      Map<String, Object> producerConfig = producerProperties.resolve(bootstrapServers,
          workerName + "-results",
          Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
      Producer<String, byte[]> producer =
          new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
      try {
        FrameProducer.awaitTopic(producer, framesTopic, startupTimeout);
        FrameProducer.awaitTopic(producer, resultsTopic, startupTimeout);
        FrameProducer.awaitTopic(producer, dlt, startupTimeout);
      } catch (RuntimeException | Error e) {
        producer.close(Duration.ZERO);
        throw e;
      }
      Map<String, Object> consumerConfig = consumerProperties.resolve(bootstrapServers, workerName,
          Map.of(ConsumerConfig.GROUP_ID_CONFIG, groupId,
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
              ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2 * maxBatchSize));
      Object protocol = consumerConfig.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
      if (protocol == null || "classic".equalsIgnoreCase(protocol.toString())) {
        // Incremental rebalances: only the partitions that move are revoked, the rest keep going.
        consumerConfig.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName());
      }
      Consumer<String, byte[]> consumer;
      try {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
      } catch (RuntimeException | Error e) {
        producer.close(Duration.ZERO);
        throw e;
      }
      return new DetectionWorker(this, consumer, producer, workerName).start();
    }
  }
}
