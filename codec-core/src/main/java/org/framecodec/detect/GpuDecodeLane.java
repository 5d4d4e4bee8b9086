package org.framecodec.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.Pointer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegInfo;

/**
 * The GPU's share of each chunk: the first {@code k} payloads of a chunk are decoded by nvJPEG
 * while the CPU workers decode the rest, since the GPU's JPEG engines and the machine's cores are
 * separate resources.
 *
 * <p>The lane has one or more decoders, each with its own thread and CUDA stream. A chunk's share
 * goes to whichever is free, so with two, one decoder's host work (reading headers, staging the
 * bitstreams, waiting for the copy back) overlaps the other's time in the JPEG engines, and the
 * engines are not left idle between one chunk and the next.
 *
 * <p>The share is fixed, or follows the measured rates of both sides: after each chunk, the time
 * from handing the chunk out until the GPU's part was written, and until the CPU workers' part
 * was, each per image, update moving averages, and the next chunk gives the GPU
 * {@code cpuTime / (cpuTime + gpuTime)} of its frames, so both sides finish together. Both times
 * start when the chunk is handed out, so a side that is still busy with the previous chunk is
 * charged for it. A batch nvJPEG refuses (a progressive or damaged JPEG, a CUDA error) is decoded
 * on the CPU by the decoder's own filler, where each bad frame gets its own exception, and
 * counted.
 *
 * <p>The lane also page-locks the pipeline's input tensors ({@link #pin}), which speeds the
 * decoders' copies into them.
 *
 * <p>Thread-safe: each decoder and its filler are used by one task at a time (a task takes an
 * idle one and gives it back); the share is read and updated under this object's lock.
 */
final class GpuDecodeLane implements AutoCloseable {
  private static final double ALPHA = 0.25;
  private static final double MIN_SHARE = 0.05;
  private static final int STEP = 8;
  private static final System.Logger LOG = System.getLogger(GpuDecodeLane.class.getName());

  /** One decoder, the filler for its refused batches, and its scratch arrays. */
  private static final class Unit {
    final NvJpegDecoder decoder;
    final FrameFiller fallback;
    EncodedFrame[] frames = new EncodedFrame[0];
    JpegInfo[] infos = new JpegInfo[0];

    Unit(NvJpegDecoder decoder, FrameFiller fallback) {
      this.decoder = decoder;
      this.fallback = fallback;
    }
  }

  private final List<Unit> units;
  private final BlockingQueue<Unit> idle;
  private final double fixedShare;
  private final ExecutorService threads;
  private final AtomicLong fallbacks = new AtomicLong();
  /** Addresses of the tensors this lane page-locked. */
  private final Set<Long> pinned = ConcurrentHashMap.newKeySet();
  private volatile String lastFallback = "";
  private volatile boolean pinRefused;
  private double gpuNanosPerImage = Double.NaN;
  private double cpuNanosPerImage = Double.NaN;
  private double share = 0.5;

  /**
   * Takes ownership of {@code decoders} and their {@code fallbacks} (same length, one filler per
   * decoder), which {@link #close()} closes. {@code fixedShare} in [0, 1], or negative for the
   * measured share.
   */
  GpuDecodeLane(List<NvJpegDecoder> decoders, List<FrameFiller> fallbacks, double fixedShare,
      String name) {
    if (decoders.isEmpty() || decoders.size() != fallbacks.size()) {
      throw new IllegalArgumentException("one filler per decoder, at least one decoder");
    }
    List<Unit> all = new ArrayList<>();
    for (int i = 0; i < decoders.size(); i++) {
      all.add(new Unit(decoders.get(i), fallbacks.get(i)));
    }
    this.units = List.copyOf(all);
    this.idle = new ArrayBlockingQueue<>(units.size(), false, units);
    this.fixedShare = fixedShare;
    AtomicInteger ids = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(units.size(), r -> {
      Thread t = new Thread(null, r, name + "-" + ids.getAndIncrement(),
          DetectorPipeline.NATIVE_STACK_BYTES);
      t.setDaemon(true);
      return t;
    });
  }

  String description() {
    return units.get(0).decoder.description() + ", " + units.size()
        + (units.size() == 1 ? " stream, " : " streams, ")
        + (fixedShare >= 0 ? "share " + fixedShare : "measured share");
  }

  /** How many nvJPEG decoders the lane has. */
  int decoders() {
    return units.size();
  }

  /**
   * Page-locks a pipeline tensor of {@code bytes} at {@code memory} (at position 0), if CUDA
   * allows; {@link #unpin} must be called before the memory is freed.
   */
  void pin(Pointer memory, long bytes) {
    if (NvJpegDecoder.pinHost(memory, bytes)) {
      pinned.add(memory.address());
    } else if (!pinRefused) {
      pinRefused = true;
      LOG.log(System.Logger.Level.INFO, "CUDA refused to page-lock a " + bytes + "-byte input"
          + " tensor; nvJPEG's copies into it are staged (slower) but correct");
    }
  }

  /** Undoes {@link #pin} for {@code memory}, if it was pinned. */
  void unpin(Pointer memory) {
    if (pinned.remove(memory.address())) {
      NvJpegDecoder.unpinHost(memory);
    }
  }

  /** Batches the GPU could not decode, decoded on the CPU instead. */
  long fallbacks() {
    return fallbacks.get();
  }

  String lastFallback() {
    return lastFallback;
  }

  /**
   * How many of a chunk of {@code n} payloads the GPU takes: a multiple of {@link #STEP} (or all
   * of them), since nvJPEG's batched decoder is set up for one batch size and setting it up again
   * costs time.
   */
  synchronized int shareOf(int n) {
    double s = fixedShare >= 0 ? fixedShare : share;
    int k = (int) Math.round(n * s / STEP) * STEP;
    return s >= 1 ? n : Math.max(0, Math.min(n, k));
  }

  /** Records one chunk's rates (nanoseconds per image on each side) and moves the share. */
  synchronized void observe(double gpuPerImage, double cpuPerImage) {
    if (gpuPerImage > 0) {
      gpuNanosPerImage = Double.isNaN(gpuNanosPerImage) ? gpuPerImage
          : (1 - ALPHA) * gpuNanosPerImage + ALPHA * gpuPerImage;
    }
    if (cpuPerImage > 0) {
      cpuNanosPerImage = Double.isNaN(cpuNanosPerImage) ? cpuPerImage
          : (1 - ALPHA) * cpuNanosPerImage + ALPHA * cpuPerImage;
    }
    if (!Double.isNaN(gpuNanosPerImage) && !Double.isNaN(cpuNanosPerImage)) {
      double s = cpuNanosPerImage / (cpuNanosPerImage + gpuNanosPerImage);
      share = Math.max(MIN_SHARE, Math.min(1 - MIN_SHARE, s));
    }
  }

  /**
   * Decodes items {@code [0, k)} of the slot's chunk on an idle decoder's thread, then runs
   * {@code done} with the nanoseconds from this call until they were written.
   */
  void submit(PipelineSlot slot, DetectionRequest request, int k, LongConsumer done) {
    long handedOut = System.nanoTime();
    threads.execute(() -> {
      // As many threads as units, and each thread gives its unit back: one is always idle here.
      Unit unit = idle.poll();
      long t0 = System.nanoTime();
      try {
        run(unit, slot, request, k);
      } finally {
        idle.add(unit);
      }
      long end = System.nanoTime();
      request.decodeNanos.addAndGet(end - t0);
      done.accept(end - handedOut);
    });
  }

  private void run(Unit u, PipelineSlot slot, DetectionRequest r, int k) {
    if (u.frames.length < k) {
      u.frames = new EncodedFrame[k];
      u.infos = new JpegInfo[k];
    }
    EncodedFrame[] frames = u.frames;
    JpegInfo[] infos = u.infos;
    for (int i = 0; i < k; i++) {
      int index = slot.from + i;
      try {
        frames[i] = (EncodedFrame) r.items.get(index);
        infos[i] = u.fallback.header(frames[i]);
        slot.frameWidths[i] = infos[i].width();
        slot.frameHeights[i] = infos[i].height();
      } catch (Throwable e) {
        r.fail(index, e);
      }
    }
    if (r.failed()) {
      Arrays.fill(frames, 0, k, null);
      return;
    }
    try {
      u.decoder.decode(frames, infos, k, slot.memory(), slot.placements);
      r.gpuDecoded.addAndGet(k);
    } catch (NvJpegDecoder.GpuDecodeException e) {
      fallbacks.incrementAndGet();
      lastFallback = e.getMessage();
      long[] times = new long[2];
      int[] size = new int[2];
      for (int i = 0; i < k; i++) {
        try {
          slot.placements[i] = u.fallback.fill(frames[i], slot.tensor(), i, size, times);
        } catch (Throwable failure) {
          r.fail(slot.from + i, failure);
        }
      }
    } finally {
      Arrays.fill(frames, 0, k, null);
    }
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Unit u : units) {
      u.decoder.close();
      u.fallback.close();
    }
  }
}
