package org.framecodec.detect;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.PointerScope;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.frames.Frame;

/**
 * The detector's engine: fills input tensors on worker threads while one thread runs the model,
 * and post-processes on the workers while the model runs the next batch.
 *
 * <pre>
 *   submit ──chunks of maxBatch──▶ [free slots] ──▶ workers: decode at the model's scale,
 *                                       ▲            letterbox + normalise into the slot's tensor
 *                                       │                        │ (all frames of the chunk)
 *                 workers: decode outputs, NMS  ◀── inference thread: forward pass, copy outputs
 *                 → results; last chunk completes the request's future
 * </pre>
 *
 * <p>With {@code depth} slots (3), one chunk fills while another is in the model and a third is
 * post-processed: the CPU work of batch N+1 hides behind the forward pass of batch N. A submit
 * takes a free slot per chunk and waits for one when all are busy, which bounds memory and pushes
 * back on callers that submit faster than the model runs. Workers take post-processing before
 * filling, since it frees slots.
 *
 * <p>With more than one {@link DnnSession} (copies of the network), each has its own inference
 * thread and they take filled chunks in turn: while one copies a batch in or its outputs out, the
 * other's forward pass runs on the device. Chunks may then finish out of submission order; each
 * request still gets its own results in its own order.
 *
 * <p>With 0 workers the calling thread does every stage in turn (no threads are started); this is
 * the serial path, kept for small machines and as the benchmarks' baseline.
 *
 * <p>Thread-safe: any thread may submit; requests complete independently. A failing item fails
 * its whole request (the lowest failing index's exception); other requests are unaffected.
 * {@link #close()} lets submitted requests finish, then stops the threads and frees the slots;
 * it does not close the {@link DnnSession}s, which the detector owns.
 */
final class DetectorPipeline implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  /**
   * Stack size of the pipeline's threads, which spend their time in native code (OpenCV, cuDNN,
   * nvJPEG, libjpeg-turbo): the size a native program's main thread gets, not the JVM's 1 MB
   * default, since a native frame larger than the JVM's guard zone can step past it.
   */
  static final long NATIVE_STACK_BYTES = 8L << 20;
  private static final System.Logger LOG = System.getLogger(DetectorPipeline.class.getName());

  /** One per inference thread; the first also serves the serial path. */
  private final List<DnnSession> sessions;
  private final OutputDecoder decoder;
  private final NmsOptions nms;
  private final int maxBatch;
  private final boolean dynamicBatch;
  private final Limits limits;
  private final BlockingQueue<PipelineSlot> free;
  private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
  private final LinkedBlockingDeque<Runnable> tasks = new LinkedBlockingDeque<>();
  private final Worker[] workers;
  private final Thread[] inference;
  /** The serial path's single filler, used under this object's lock. */
  private final FrameFiller inline;
  private final PipelineSlot[] slots;
  /** nvJPEG's share of each chunk of payloads; null when payloads are decoded on the CPU only. */
  private final GpuDecodeLane gpu;
  private final Object closeLock = new Object();
  private boolean closed;
  private int inFlight;

  DetectorPipeline(List<DnnSession> sessions, OutputDecoder decoder, InputSpec spec, NmsOptions nms,
      int maxBatch, boolean dynamicBatch, CodecBackend backend, Limits limits, boolean scaled,
      int threads, int depth, GpuDecodeLane gpu) {
    this.sessions = List.copyOf(sessions);
    this.decoder = decoder;
    this.nms = nms;
    this.maxBatch = maxBatch;
    this.dynamicBatch = dynamicBatch;
    this.limits = limits;
    this.gpu = threads == 0 ? null : gpu;
    int slotCount = threads == 0 ? 1 : depth;
    this.slots = new PipelineSlot[slotCount];
    this.free = new ArrayBlockingQueue<>(slotCount);
    for (int i = 0; i < slotCount; i++) {
      slots[i] = new PipelineSlot(spec, this.gpu);
      free.add(slots[i]);
    }
    this.workers = new Worker[threads];
    int id = IDS.incrementAndGet();
    try {
      for (int i = 0; i < threads; i++) {
        workers[i] = new Worker(new FrameFiller(spec, backend, limits, scaled),
            "framecodec-detect-" + id + "-worker-" + i);
      }
      this.inline = threads == 0 ? new FrameFiller(spec, backend, limits, scaled) : null;
    } catch (RuntimeException | Error e) {
      for (Worker w : workers) {
        if (w != null) {
          w.filler.close();
        }
      }
      for (PipelineSlot s : slots) {
        s.close();
      }
      if (gpu != null) {
        gpu.close(); // the pipeline owns the lane it was given
      }
      throw e;
    }
    for (Worker w : workers) {
      w.start();
    }
    if (threads == 0 && gpu != null) {
      gpu.close(); // the serial path decodes on the calling thread only
    }
    if (threads > 0) {
      this.inference = new Thread[this.sessions.size()];
      for (int i = 0; i < inference.length; i++) {
        DnnSession own = this.sessions.get(i);
        inference[i] = new Thread(null, () -> inferenceLoop(own),
            "framecodec-detect-" + id + "-inference-" + i, NATIVE_STACK_BYTES);
        inference[i].setDaemon(true);
        inference[i].start();
      }
    } else {
      this.inference = new Thread[0];
    }
  }

  int threads() {
    return workers.length;
  }

  /** The GPU lane, or null. */
  GpuDecodeLane gpu() {
    return gpu;
  }

  /**
   * Queues a request; its future completes with the detections of every item, in order, or
   * exceptionally with the first failing item's exception. Blocks while every slot is busy.
   */
  CompletableFuture<DetectionBatch> submit(List<?> items, boolean encoded) {
    Objects.requireNonNull(items, encoded ? "payloads" : "frames");
    if (items.isEmpty()) {
      throw new IllegalArgumentException("the batch of " + (encoded ? "payloads" : "frames")
          + " is empty; pass at least one");
    }
    limits.checkFrameCount(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object item = Objects.requireNonNull(items.get(i), (encoded ? "payload " : "frame ") + i);
      if (!encoded && ((Frame) item).format().isPlanar()) {
        throw new IllegalArgumentException("frame " + i + " is planar " + ((Frame) item).format()
            + "; the detector takes BGR, RGB or GRAY frames");
      }
    }
    int chunks = (items.size() + maxBatch - 1) / maxBatch;
    DetectionRequest request = new DetectionRequest(items, encoded, chunks);
    if (workers.length == 0) {
      runInline(request);
      return request.future;
    }
    synchronized (closeLock) {
      if (closed) {
        throw new IllegalStateException("the detector is closed");
      }
      inFlight++;
    }
    request.future.whenComplete((r, e) -> {
      synchronized (closeLock) {
        inFlight--;
        closeLock.notifyAll();
      }
    });
    for (int from = 0; from < items.size(); from += maxBatch) {
      PipelineSlot slot = takeSlot();
      slot.load(request, from, Math.min(maxBatch, items.size() - from));
      post(slot, false);
    }
    return request.future;
  }

  private PipelineSlot takeSlot() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return free.take();
        } catch (InterruptedException e) {
          // Chunks already queued belong to this request; giving up half way would leave it
          // hanging. Finish queuing, then re-assert the interrupt.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * One stage of one chunk: the claims its workers (and, when filling payloads, the GPU lane)
   * share. A new one per stage, so a worker that starts late (after the stage is over) finds
   * nothing left to claim, whatever the slot is doing by then.
   */
  private static final class Stage {
    final PipelineSlot slot;
    final DetectionRequest request;
    /** The chunk's size, fixed for the stage: the slot's own field changes when it is reused. */
    final int size;
    /** Filling: items claimed from both ends ({@link ClaimRange}); null when post-processing. */
    final ClaimRange claims;
    /** Post-processing: the next item to take. */
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();

    Stage(PipelineSlot slot, ClaimRange claims) {
      this.slot = slot;
      this.request = slot.request;
      this.size = slot.size;
      this.claims = claims;
    }
  }

  /**
   * Hands a slot's fill (or post-processing) to the workers, as one claim loop per worker, and a
   * fill of payloads to the GPU lane too: its decoders claim blocks from the front while the
   * workers claim items from the back, or each takes its fixed share.
   */
  private void post(PipelineSlot slot, boolean postprocess) {
    if (postprocess) {
      Stage stage = new Stage(slot, null);
      for (int t = Math.min(workers.length, slot.size); t > 0; t--) {
        tasks.addFirst(() -> postprocessLoop(stage));
      }
      return;
    }
    boolean lane = gpu != null && slot.request.encoded;
    int gpuEnd = lane ? gpu.shareOf(slot.size) : 0;
    boolean fixed = lane && gpu.fixedShare();
    Stage stage = new Stage(slot, new ClaimRange(slot.size, gpuEnd, fixed ? gpuEnd : 0));
    if (lane && gpuEnd > 0) {
      gpu.offer(new GpuDecodeLane.Chunk(slot, stage.request, stage.size, stage.claims, fixed,
          count -> itemsFilled(stage, count)));
    }
    for (int t = Math.min(workers.length, slot.size - (fixed ? gpuEnd : 0)); t > 0; t--) {
      tasks.addLast(() -> fillLoop(stage));
    }
  }

  /** Counts filled items; the last one sends the slot to the model. */
  private void itemsFilled(Stage stage, int count) {
    if (stage.done.addAndGet(count) == stage.size) {
      ready.add(stage.slot);
    }
  }

  private void fillLoop(Stage stage) {
    PipelineSlot slot = stage.slot;
    Worker worker = (Worker) Thread.currentThread();
    long[] times = worker.times;
    times[0] = 0;
    times[1] = 0;
    for (int i = stage.claims.claimBack(); i >= 0; i = stage.claims.claimBack()) {
      fill(worker.filler, slot, stage.request, i, times, worker.size);
      stage.request.decodeNanos.addAndGet(times[0]);
      stage.request.preprocessNanos.addAndGet(times[1]);
      times[0] = 0;
      times[1] = 0;
      itemsFilled(stage, 1);
    }
  }

  private static void fill(FrameFiller filler, PipelineSlot slot, DetectionRequest r, int i,
      long[] times, int[] size) {
    int index = slot.from + i;
    if (r.failed()) {
      return; // the request fails anyway; spend nothing more on it
    }
    try {
      Object item = r.items.get(index);
      if (r.encoded) {
        slot.placements[i] = filler.fill((EncodedFrame) item, slot.tensor(), i, size, times);
        slot.frameWidths[i] = size[0];
        slot.frameHeights[i] = size[1];
      } else {
        Frame f = (Frame) item;
        slot.placements[i] = filler.fill(f, slot.tensor(), i, times);
        slot.frameWidths[i] = f.width();
        slot.frameHeights[i] = f.height();
      }
    } catch (Throwable e) {
      // Anything one item raises, an OutOfMemoryError from a huge frame included, fails its
      // request; the worker lives on for the others.
      r.fail(index, e);
    }
  }

  private void inferenceLoop(DnnSession session) {
    while (true) {
      Object next;
      try {
        next = ready.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == this) {
        return;
      }
      PipelineSlot slot = (PipelineSlot) next;
      try {
        if (infer(session, slot)) {
          post(slot, true);
        } else {
          finishChunk(slot);
        }
      } catch (Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "detector inference loop failed", e);
      }
    }
  }

  /** Runs the model on a filled slot and copies its outputs; false if the request has failed. */
  private boolean infer(DnnSession session, PipelineSlot slot) {
    DetectionRequest r = slot.request;
    if (r.failed()) {
      return false;
    }
    long t0 = System.nanoTime();
    try (PointerScope scope = new PointerScope()) {
      if (dynamicBatch) {
        slot.copyOutputs(session.forward(slot.batch(slot.size)), 0, slot.size);
      } else {
        for (int i = 0; i < slot.size; i++) {
          slot.copyOutputs(session.forward(slot.single(i)), i, 1);
        }
      }
      return true;
    } catch (Throwable e) {
      r.fail(slot.from, e);
      return false;
    } finally {
      r.inferenceNanos.addAndGet(System.nanoTime() - t0);
    }
  }

  private void postprocessLoop(Stage stage) {
    PipelineSlot slot = stage.slot;
    FrameFiller filler = ((Worker) Thread.currentThread()).filler;
    List<Tensor> outputs = null;
    for (int i = stage.next.getAndIncrement(); i < stage.size; i = stage.next.getAndIncrement()) {
      long t0 = System.nanoTime();
      if (outputs == null) {
        outputs = slot.outputs();
      }
      postprocess(filler, slot, stage.request, outputs, i);
      stage.request.postprocessNanos.addAndGet(System.nanoTime() - t0);
      if (stage.done.incrementAndGet() == stage.size) {
        finishChunk(slot);
      }
    }
  }

  private void postprocess(FrameFiller filler, PipelineSlot slot, DetectionRequest r,
      List<Tensor> outputs, int i) {
    try {
      r.result(slot.from + i, filler.detections(decoder, outputs, i, slot.placements[i],
          slot.frameWidths[i], slot.frameHeights[i], nms));
    } catch (Throwable e) {
      r.fail(slot.from + i, e);
    }
  }

  /** The chunk is done (or skipped): free the slot first, then let the request complete. */
  private void finishChunk(PipelineSlot slot) {
    DetectionRequest r = slot.request;
    slot.request = null;
    free.add(slot);
    r.chunkDone();
  }

  /** The serial path: every stage on the calling thread, one chunk at a time. */
  private synchronized void runInline(DetectionRequest request) {
    synchronized (closeLock) {
      if (closed) {
        throw new IllegalStateException("the detector is closed");
      }
    }
    PipelineSlot slot = slots[0];
    long[] times = new long[2];
    int[] size = new int[2];
    for (int from = 0; from < request.size(); from += maxBatch) {
      slot.load(request, from, Math.min(maxBatch, request.size() - from));
      for (int i = 0; i < slot.size; i++) {
        fill(inline, slot, request, i, times, size);
      }
      if (infer(sessions.get(0), slot)) {
        List<Tensor> outputs = slot.outputs();
        long t0 = System.nanoTime();
        for (int i = 0; i < slot.size; i++) {
          postprocess(inline, slot, request, outputs, i);
        }
        request.postprocessNanos.addAndGet(System.nanoTime() - t0);
      }
      slot.request = null;
      request.decodeNanos.addAndGet(times[0]);
      request.preprocessNanos.addAndGet(times[1]);
      times[0] = 0;
      times[1] = 0;
      request.chunkDone();
    }
  }

  /**
   * Lets submitted requests finish, then stops the threads, closes the workers' codecs and frees
   * the slots. Idempotent. If interrupted while waiting, it returns with the flag set and the
   * threads stop in the background.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      while (inFlight > 0) {
        try {
          closeLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    synchronized (this) {
      if (inline != null) {
        inline.close();
      }
    }
    for (int i = 0; i < workers.length; i++) {
      tasks.addLast(Worker.STOP);
    }
    for (int i = 0; i < inference.length; i++) {
      ready.add(this);
    }
    try {
      for (Worker w : workers) {
        w.join();
      }
      for (Thread t : inference) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (PipelineSlot s : slots) {
      s.close(); // before the lane: a slot's tensor is unpinned through it
    }
    if (gpu != null) {
      gpu.close();
    }
  }

  /** A worker thread and the filler confined to it. */
  private final class Worker extends Thread {
    static final Runnable STOP = () -> { };
    final FrameFiller filler;
    final long[] times = new long[2];
    final int[] size = new int[2];

    Worker(FrameFiller filler, String name) {
      super(null, null, name, NATIVE_STACK_BYTES);
      this.filler = filler;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (true) {
          Runnable task = tasks.take();
          if (task == STOP) {
            return;
          }
          try {
            task.run();
          } catch (Throwable e) {
            // Tasks catch their items' failures; anything else is a bug, and a worker that died
            // of it would stall every later batch. Report it and keep serving.
            LOG.log(System.Logger.Level.ERROR, "detector worker task failed", e);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        filler.close();
      }
    }
  }
}
