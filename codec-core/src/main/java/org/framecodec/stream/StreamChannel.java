package org.framecodec.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.framecodec.detect.Detection;

/**
 * One stream's frames between its decoder and its sink, keyed by frame number, plus its audio
 * packets on their way to the sink. This is where the frame that was analysed waits for its
 * detections, so the boxes are drawn on that frame and no other.
 *
 * <pre>
 *   reader: admit ─▶ FILLING ─submitted─▶ PENDING ─claim─▶ ANALYSING ─detected─▶ READY
 *                                        (in the batcher)   (in the detector)
 *           ─next─▶ WRITING ─written─▶ (gone)
 *             (writer: draw, sink)
 * </pre>
 *
 * <p>At most {@code capacity} entries exist. When a new frame arrives and the channel is full,
 * {@link ProcessingMode#FILE} makes the reader wait; {@link ProcessingMode#LIVE} drops the oldest
 * frame still waiting in the batcher (PENDING), else the oldest waiting for the writer (READY), so
 * the newest wins; frames in the detector are kept, since their results are on the way. Only when
 * every held frame is in the detector or being written is the new frame itself dropped. Every
 * drop is counted. The writer takes entries in frame order
 * once their detections are in. Audio packets are released to the writer with the first video
 * frame at or after their time, or early when more than {@link #AUDIO_HIGH_WATER} wait (the
 * muxer interleaves them), so a long stretch without video never blocks the reader.
 *
 * <p>Frame buffers are pooled here and reused, so steady state allocates no pixel memory. Thread
 * safe: one reader, one writer and the batch consumer meet under one lock.
 */
final class StreamChannel {
  /** Audio packets waiting before the writer takes them without waiting for video. */
  static final int AUDIO_HIGH_WATER = 256;
  /** Audio packets that may wait at most; more are dropped (counted), oldest first. */
  static final int AUDIO_CAPACITY = 4096;

  enum State { FILLING, PENDING, ANALYSING, READY, WRITING }

  /** One frame in the channel. Fields are guarded by the channel's lock, except the buffer's pixels, which belong to the state's owner. */
  static final class Entry {
    final long frameNumber;
    final long ptsMicros;
    final long glassNanos;
    final FrameBuffer buffer;
    State state = State.FILLING;
    List<Detection> detections = List.of();
    String error;

    Entry(long frameNumber, long ptsMicros, long glassNanos, FrameBuffer buffer) {
      this.frameNumber = frameNumber;
      this.ptsMicros = ptsMicros;
      this.glassNanos = glassNanos;
      this.buffer = buffer;
    }
  }

  /** What the writer does next: write {@code audio}, then {@code entry} if not null; stop after it if {@code end}. */
  record Work(Entry entry, List<AudioPacket> audio, boolean end) {}

  private final String streamId;
  private final ProcessingMode mode;
  private final int capacity;
  private final StreamCounters counters;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final ArrayDeque<FrameBuffer> pool = new ArrayDeque<>();
  private final ArrayDeque<AudioPacket> audio = new ArrayDeque<>();
  private SourceInfo info;
  private boolean inputEnded;
  private boolean cancelled;
  private int peakReady;

  StreamChannel(String streamId, ProcessingMode mode, int capacity, StreamCounters counters) {
    this.streamId = streamId;
    this.mode = mode;
    this.capacity = capacity;
    this.counters = counters;
  }

  String streamId() {
    return streamId;
  }

  /** Reader: what the source is, once its first connection is open. */
  void publishInfo(SourceInfo value) {
    lock.lock();
    try {
      if (info == null) {
        info = value;
        changed.signalAll();
      } else if (info != value) {
        value.free();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Writer: waits for the source's info; null when the input ended or was cancelled first. */
  SourceInfo awaitInfo() throws InterruptedException {
    lock.lock();
    try {
      while (info == null && !inputEnded && !cancelled) {
        changed.await();
      }
      return cancelled ? null : info;
    } finally {
      lock.unlock();
    }
  }

  /** What {@link #admit} returns for a frame live mode drops on arrival. */
  static final Entry DROPPED = new Entry(-1, 0, 0, null);

  /**
   * Reader: makes room for frame {@code frameNumber} and returns its entry, FILLING, with a buffer
   * to decode into; null once the channel is cancelled; {@link #DROPPED} when live mode drops the
   * new frame itself. Waits (file mode) or drops (live mode) while full.
   */
  Entry admit(long frameNumber, long ptsMicros, long glassNanos) throws InterruptedException {
    lock.lock();
    try {
      while (!cancelled && entries.size() >= capacity) {
        if (mode == ProcessingMode.LIVE) {
          if (dropOldest(State.PENDING) || dropOldest(State.READY)) {
            continue;
          }
          counters.dropped.incrementAndGet();
          return DROPPED;
        }
        changed.await();
      }
      if (cancelled) {
        return null;
      }
      FrameBuffer b = pool.isEmpty() ? new FrameBuffer() : pool.pollFirst();
      Entry e = new Entry(frameNumber, ptsMicros, glassNanos, b);
      entries.addLast(e);
      return e;
    } finally {
      lock.unlock();
    }
  }

  private boolean dropOldest(State state) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.state == state) {
        it.remove();
        pool.addLast(e.buffer);
        counters.dropped.incrementAndGet();
        return true;
      }
    }
    return false;
  }

  /** Reader: the entry's pixels and payload are made; it now waits for detections. */
  void submitted(Entry e) {
    lock.lock();
    try {
      if (e.state == State.FILLING) {
        e.state = State.PENDING;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reader: the entry could not be filled; forget it. */
  void abandon(Entry e) {
    lock.lock();
    try {
      if (entries.remove(e)) {
        pool.addLast(e.buffer);
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Consumer: takes frame {@code frameNumber} into the detector if it still waits (was not
   * dropped); from now on live mode keeps it. Returns false for a dropped frame.
   */
  boolean claim(long frameNumber) {
    lock.lock();
    try {
      Entry e = find(frameNumber);
      if (e != null && e.state == State.PENDING) {
        e.state = State.ANALYSING;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Consumer: frame {@code frameNumber}'s detections; ignored if it was dropped meanwhile. */
  void detected(long frameNumber, List<Detection> detections) {
    complete(frameNumber, detections, null);
  }

  /** Consumer: the detector failed on frame {@code frameNumber}; it goes out without boxes. */
  void notAnalysed(long frameNumber, String error) {
    complete(frameNumber, List.of(), error);
  }

  private void complete(long frameNumber, List<Detection> detections, String error) {
    lock.lock();
    try {
      Entry e = find(frameNumber);
      if (e == null || e.state != State.ANALYSING) {
        return;
      }
      e.detections = detections;
      e.error = error;
      e.state = State.READY;
      int ready = 0;
      for (Entry x : entries) {
        if (x.state == State.READY) {
          ready++;
        }
      }
      peakReady = Math.max(peakReady, ready);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private Entry find(long frameNumber) {
    for (Entry e : entries) {
      if (e.frameNumber == frameNumber) {
        return e;
      }
    }
    return null;
  }

  /** Reader: one audio packet for the sink; the channel owns it from here. */
  void addAudio(AudioPacket p) {
    lock.lock();
    try {
      if (cancelled) {
        p.free();
        return;
      }
      if (audio.size() >= AUDIO_CAPACITY) {
        audio.pollFirst().free();
        counters.audioDropped.incrementAndGet();
      }
      audio.addLast(p);
      if (audio.size() >= AUDIO_HIGH_WATER) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reader: no more frames or audio will come. */
  void endInput() {
    lock.lock();
    try {
      inputEnded = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Either side gave up: the reader stops admitting, the writer stops taking. */
  void cancel() {
    lock.lock();
    try {
      cancelled = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writer: waits for the next thing to write. Entries go in frame order; an entry still PENDING
   * when a later one is READY was skipped by the detector's batch and can no longer be answered
   * (batches keep each stream's order), so it is dropped. With {@code end} set, the writer
   * finishes after this work.
   */
  Work next() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        Entry head = entries.peekFirst();
        if (head != null && head.state == State.PENDING && laterReady()) {
          entries.pollFirst();
          pool.addLast(head.buffer);
          counters.dropped.incrementAndGet();
          changed.signalAll();
          continue;
        }
        if (cancelled) {
          return new Work(null, drainAudio(Long.MAX_VALUE), true);
        }
        if (head != null && head.state == State.READY) {
          head.state = State.WRITING;
          return new Work(head, drainAudio(head.ptsMicros), false);
        }
        if (inputEnded && entries.isEmpty()) {
          return new Work(null, drainAudio(Long.MAX_VALUE), true);
        }
        if (audio.size() >= AUDIO_HIGH_WATER) {
          List<AudioPacket> early = new ArrayList<>();
          while (audio.size() > AUDIO_HIGH_WATER / 2) {
            early.add(audio.pollFirst());
          }
          return new Work(null, early, false);
        }
        changed.await(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean laterReady() {
    boolean first = true;
    for (Entry e : entries) {
      if (!first && e.state == State.READY) {
        return true;
      }
      first = false;
    }
    return false;
  }

  private List<AudioPacket> drainAudio(long uptoMicros) {
    List<AudioPacket> out = new ArrayList<>();
    while (!audio.isEmpty() && audio.peekFirst().ptsMicros <= uptoMicros) {
      out.add(audio.pollFirst());
    }
    return out;
  }

  /** Writer: done with the entry; its buffer goes back to the pool. */
  void written(Entry e) {
    lock.lock();
    try {
      entries.remove(e);
      pool.addLast(e.buffer);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Frames between decoder and sink now. */
  int inFlight() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  /** Frames with detections, waiting for the writer, now and at most. */
  int[] readyDepth() {
    lock.lock();
    try {
      int ready = 0;
      for (Entry e : entries) {
        if (e.state == State.READY) {
          ready++;
        }
      }
      return new int[] {ready, peakReady};
    } finally {
      lock.unlock();
    }
  }

  /** After reader and writer have ended: frees every buffer, audio packet and the source info. */
  void freeAll() {
    lock.lock();
    try {
      cancelled = true;
      for (Entry e : entries) {
        e.buffer.free();
      }
      entries.clear();
      for (FrameBuffer b : pool) {
        b.free();
      }
      pool.clear();
      for (AudioPacket p : audio) {
        p.free();
      }
      audio.clear();
      if (info != null) {
        info.free();
        info = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
