package org.framecodec.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.framecodec.Limits;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Encodes or decodes a whole batch of frames across N worker threads, each with its own
 * {@link JpegCodec} (codecs are not thread-safe, so each is confined to one worker), and returns
 * the results in input order.
 *
 * <pre>
 *   caller ──batch of n──▶ min(N, n) tokens ──▶ worker 1 (codec 1) ─┐ each worker claims the next
 *     ▲                    on one queue     ──▶ worker 2 (codec 2) ─┤ index until none is left,
 *     └──── waits for all tokens, then returns results[0..n) ◀──────┘ so fast items balance slow ones
 * </pre>
 *
 * <p><b>Failures</b> are per item: a corrupt payload or a bad frame records its exception at its
 * index (see {@link BatchResult} and {@link EncodedBatch}) and the rest of the batch completes.
 * Arguments that make the whole call meaningless (a null list, a batch over
 * {@link Limits#maxFramesPerBatch()}, mismatched lengths) throw before any work starts.
 *
 * <p><b>Buffers.</b> Input frames and payloads are read, never written or kept. The worst-case
 * encode buffer ({@code maxEncodedSize}, 6.2 MB at 1080p) is one per worker and reused; the
 * allocating {@link #encode(List, EncodeOptions)} copies each payload out at its exact length,
 * while {@link #encode(List, EncodeOptions, EncodedBatch)} encodes into the caller's reusable
 * slots with no allocation at all once they have grown, and
 * {@link #decodeInto(List, List)} decodes into the caller's frames.
 *
 * <p><b>Thread-safety.</b> Thread-safe: calls from several threads share the workers, each call
 * waiting only for its own items. A call blocks its thread until its batch is done (an interrupt
 * is remembered and re-asserted afterwards, since workers may still be writing the caller's
 * buffers). {@link #close()} lets submitted batches finish, stops the workers, closes their
 * codecs, and is idempotent; calls after it throw {@link IllegalStateException}.
 */
public final class ParallelBatchCodec implements AutoCloseable {
  private static final AtomicInteger POOL_IDS = new AtomicInteger();
  /** More workers than this is a configuration mistake, not a tuning choice. */
  static final int MAX_THREADS = 1024;

  private final CodecBackend backend;
  private final Limits limits;
  private final Worker[] workers;
  private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  /** Posting tokens and closing exclude each other, so no token lands behind the stop tokens. */
  private final Object postLock = new Object();
  private boolean closed;

  private ParallelBatchCodec(Builder b) {
    this.backend = b.backend;
    this.limits = b.limits;
    int threads = b.threads > 0 ? b.threads : Runtime.getRuntime().availableProcessors();
    // Open every codec here, so a backend that cannot load fails the constructor rather than a
    // worker. Thread.start() publishes each codec safely to the one worker that will use it.
    List<JpegCodec> codecs = new ArrayList<>(threads);
    try {
      for (int i = 0; i < threads; i++) {
        codecs.add(JpegCodec.open(backend, limits));
      }
    } catch (RuntimeException | Error e) {
      codecs.forEach(JpegCodec::close);
      throw e;
    }
    String prefix = b.threadNamePrefix != null ? b.threadNamePrefix
        : "framecodec-codec-" + POOL_IDS.incrementAndGet() + "-";
    this.workers = new Worker[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker(codecs.get(i), prefix + i);
      workers[i].start();
    }
  }

  /** {@return a codec on libjpeg-turbo, default limits, one worker per available processor} */
  public static ParallelBatchCodec open() {
    return builder().build();
  }

  /**
   * {@return a builder with libjpeg-turbo, default limits and one worker per available processor}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the number of worker threads, each with its own codec} */
  public int threads() {
    return workers.length;
  }

  /** {@return the JPEG engine of every worker} */
  public CodecBackend backend() {
    return backend;
  }

  /** {@return the limits every worker's codec enforces} */
  public Limits limits() {
    return limits;
  }

  /**
   * Encodes every frame; item {@code i} is frame {@code i}'s payload in a new array of exactly its
   * length (one copy per frame, out of the worker's reused worst-case buffer).
   *
   * @param frames the frames, item {@code i} of the result is frame {@code i}
   * @param options mode, quality and subsampling
   * @return per frame, its encoded frame or its exception
   */
  public BatchResult<EncodedFrame> encode(List<? extends Frame> frames, EncodeOptions options) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(options, "options");
    int n = checkCount(frames.size());
    Object[] values = new Object[n];
    Throwable[] errors = new Throwable[n];
    long start = System.nanoTime();
    run(new Job(n) {
      @Override
      void process(int i, Worker w) {
        Frame f = Objects.requireNonNull(frames.get(i), "frame");
        EncodedFrame view = w.codec.encodeFrame(f, options, w.scratch);
        w.scratch = view.payloadArray();
        values[i] = view.toBuilder().payload(view.payloadCopy()).build();
      }

      @Override
      void fail(int i, Throwable e) {
        errors[i] = e;
      }
    });
    return new BatchResult<>(values, errors, System.nanoTime() - start);
  }

  /**
   * Encodes every frame into {@code reuse}'s slots (or a new {@link EncodedBatch} when it is
   * null) and returns it. Once the slots have grown to the frames' worst-case size, a batch is
   * encoded with no allocation. The previous contents of {@code reuse} are overwritten.
   *
   * @param frames the frames, item {@code i} of the result is frame {@code i}
   * @param options mode, quality and subsampling
   * @param reuse the batch to reuse, or null for a new one
   * @return {@code reuse}, or the new batch
   */
  public EncodedBatch encode(List<? extends Frame> frames, EncodeOptions options,
      EncodedBatch reuse) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(options, "options");
    int n = checkCount(frames.size());
    EncodedBatch out = reuse != null ? reuse : new EncodedBatch();
    out.reset(n);
    long start = System.nanoTime();
    run(new Job(n) {
      @Override
      void process(int i, Worker w) {
        Frame f = Objects.requireNonNull(frames.get(i), "frame");
        byte[] dst = out.buffer(i, w.codec.maxEncodedSize(f.width(), f.height(), options));
        out.set(i, w.codec.encodeFrame(f, options, dst));
      }

      @Override
      void fail(int i, Throwable e) {
        out.fail(i, e);
      }
    });
    out.elapsed(System.nanoTime() - start);
    return out;
  }

  /**
   * Decodes every frame's payload, in its own mode, into a new tightly packed frame of
   * {@code format}. A payload that is corrupt, lies about its shape, is too large for the
   * {@link Limits} or is unsupported fails alone with its
   * {@link org.framecodec.FrameFormatException}.
   *
   * @param frames the frames, item {@code i} of the result is frame {@code i}
   * @param format pixel format of the output frame
   * @return per frame, the decoded frame or its exception
   */
  public BatchResult<Frame> decode(List<EncodedFrame> frames, PixelFormat format) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(format, "format");
    int n = checkCount(frames.size());
    Object[] values = new Object[n];
    Throwable[] errors = new Throwable[n];
    long start = System.nanoTime();
    run(new Job(n) {
      @Override
      void process(int i, Worker w) {
        values[i] = w.codec.decode(Objects.requireNonNull(frames.get(i), "frame"), format);
      }

      @Override
      void fail(int i, Throwable e) {
        errors[i] = e;
      }
    });
    return new BatchResult<>(values, errors, System.nanoTime() - start);
  }

  /**
   * Decodes frame {@code i} into the caller's frame {@code dst.get(i)}, whose size must match
   * the payload's and whose format is the output format; item {@code i} of the result is that
   * frame. The destination frames must be distinct. Reusing them across batches makes decoding
   * allocation-free.
   *
   * @param frames the frames, item {@code i} of the result is frame {@code i}
   * @param dst one destination frame per payload
   * @return per frame, success (the destination frame) or its exception
   */
  public BatchResult<Frame> decodeInto(List<EncodedFrame> frames, List<Frame> dst) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(dst, "dst");
    int n = checkCount(frames.size());
    if (dst.size() != n) {
      throw new IllegalArgumentException(
          "dst has " + dst.size() + " frames for " + n + " payloads; they must match one to one");
    }
    Object[] values = new Object[n];
    Throwable[] errors = new Throwable[n];
    long start = System.nanoTime();
    run(new Job(n) {
      @Override
      void process(int i, Worker w) {
        EncodedFrame encoded = Objects.requireNonNull(frames.get(i), "frame");
        Frame frame = Objects.requireNonNull(dst.get(i), "destination frame");
        w.codec.decodeInto(encoded, frame);
        values[i] = frame;
      }

      @Override
      void fail(int i, Throwable e) {
        errors[i] = e;
      }
    });
    return new BatchResult<>(values, errors, System.nanoTime() - start);
  }

  private int checkCount(int n) {
    limits.checkFrameCount(n);
    return n;
  }

  /** Hands the job to the workers and waits for it, uninterruptibly. */
  private void run(Job job) {
    if (job.size == 0) {
      synchronized (postLock) {
        ensureOpen();
      }
      return;
    }
    int tokens = Math.min(workers.length, job.size);
    job.done = new CountDownLatch(tokens);
    synchronized (postLock) {
      ensureOpen();
      for (int t = 0; t < tokens; t++) {
        queue.add(job);
      }
    }
    boolean interrupted = false;
    while (true) {
      try {
        job.done.await();
        break;
      } catch (InterruptedException e) {
        // Workers are still writing this call's results (and maybe the caller's buffers), so
        // returning now would hand out half-written data. Finish, then re-assert the interrupt.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("ParallelBatchCodec is closed");
    }
  }

  /**
   * Lets batches already submitted finish, stops the workers, each of which closes its own
   * codec, and waits for them. Idempotent. If interrupted while waiting it returns with the
   * interrupt flag set and the workers finish in the background.
   */
  @Override
  public void close() {
    synchronized (postLock) {
      if (!closed) {
        closed = true;
        for (int i = 0; i < workers.length; i++) {
          queue.add(Job.STOP);
        }
      }
    }
    for (Worker w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "ParallelBatchCodec{" + backend + ", " + workers.length + " threads}";
  }

  /**
   * One batch: a shared index counter that workers claim items from. Each worker holding a token
   * works until no index is left, then counts down once.
   */
  private abstract static class Job {
    static final Job STOP = new Job(0) {
      @Override
      void process(int i, Worker w) {}

      @Override
      void fail(int i, Throwable e) {}
    };

    final int size;
    final AtomicInteger next = new AtomicInteger();
    CountDownLatch done;

    Job(int size) {
      this.size = size;
    }

    abstract void process(int i, Worker w) throws Exception;

    abstract void fail(int i, Throwable e);

    final void work(Worker w) {
      for (int i = next.getAndIncrement(); i < size; i = next.getAndIncrement()) {
        try {
          process(i, w);
        } catch (Throwable e) {
          // Anything one item raises, even an OutOfMemoryError from a huge frame, is that item's
          // failure; the worker lives on for the rest of the batch.
          fail(i, e);
        }
      }
      done.countDown();
    }
  }

  /** A thread and the codec confined to it. */
  private final class Worker extends Thread {
    final JpegCodec codec;
    /** The worst-case encode buffer, reused across items. */
    byte[] scratch;

    Worker(JpegCodec codec, String name) {
      super(name);
      this.codec = codec;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (true) {
          Job job = queue.take();
          if (job == Job.STOP) {
            return;
          }
          job.work(this);
        }
      } catch (InterruptedException e) {
        // Only close() stops a worker, with a STOP token; an interrupt from elsewhere ends it too.
        Thread.currentThread().interrupt();
      } finally {
        codec.close();
      }
    }
  }

  /** Configures a {@link ParallelBatchCodec}; values are checked here, with the bad value in the message. Not thread-safe. */
  public static final class Builder {
    private CodecBackend backend = CodecBackend.TURBOJPEG;
    private Limits limits = Limits.defaults();
    private int threads;
    private String threadNamePrefix;

    private Builder() {}

    /**
     * The engine each worker opens; default {@link CodecBackend#TURBOJPEG}.
     *
     * @param backend the JPEG engine
     * @return this builder
     */
    public Builder backend(CodecBackend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Limits for every codec and for the batch size; default {@link Limits#defaults()}.
     *
     * @param limits the size limits to enforce
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Worker threads, 1 to 1024; default the number of available processors.
     *
     * @param threads number of worker threads
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > MAX_THREADS) {
        throw new IllegalArgumentException("threads must be 1.." + MAX_THREADS + ", got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Worker names are this prefix and an index; default {@code framecodec-codec-N-}.
     *
     * @param prefix the thread name prefix
     * @return this builder
     */
    public Builder threadNamePrefix(String prefix) {
      this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Opens the codecs and starts the workers.
     *
     * @return the running codec; close it
     */
    public ParallelBatchCodec build() {
      return new ParallelBatchCodec(this);
    }
  }
}
