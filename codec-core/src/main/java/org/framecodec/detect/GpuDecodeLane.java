package org.framecodec.detect;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegInfo;

/**
 * The GPU's share of each chunk: the first {@code k} payloads of a chunk are decoded by nvJPEG on
 * one thread of this lane while the CPU workers decode the rest, since the GPU's JPEG engines and
 * the machine's cores are separate resources.
 *
 * <p>The share is fixed, or follows the measured rates of both sides: after each chunk, the
 * GPU's time per image and the CPU workers' wall time per image update moving averages, and the
 * next chunk gives the GPU {@code cpuTime / (cpuTime + gpuTime)} of its frames, so both sides
 * finish together. A batch nvJPEG refuses (a progressive or damaged JPEG, a CUDA error) is
 * decoded on the CPU by this lane's own filler, where each bad frame gets its own exception, and
 * counted.
 *
 * <p>Thread-safe: the decoder and filler are confined to the lane's thread; the share is read and
 * updated under this object's lock.
 */
final class GpuDecodeLane implements AutoCloseable {
  private static final double ALPHA = 0.25;
  private static final double MIN_SHARE = 0.05;
  private static final int STEP = 8;

  private final NvJpegDecoder decoder;
  private final FrameFiller fallback;
  private final double fixedShare;
  private final ExecutorService thread;
  private final AtomicLong fallbacks = new AtomicLong();
  private volatile String lastFallback = "";
  private double gpuNanosPerImage = Double.NaN;
  private double cpuNanosPerImage = Double.NaN;
  private double share = 0.5;
  private EncodedFrame[] frames = new EncodedFrame[0];
  private JpegInfo[] infos = new JpegInfo[0];

  /** {@code fixedShare} in [0, 1], or negative for the measured share. */
  GpuDecodeLane(NvJpegDecoder decoder, FrameFiller fallback, double fixedShare, String name) {
    this.decoder = decoder;
    this.fallback = fallback;
    this.fixedShare = fixedShare;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  String description() {
    return decoder.description() + ", " + (fixedShare >= 0 ? "share " + fixedShare : "measured share");
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
   * Decodes items {@code [0, k)} of the slot's chunk on the lane's thread, then runs
   * {@code done} with the nanoseconds it took.
   */
  void submit(PipelineSlot slot, DetectionRequest request, int k, java.util.function.LongConsumer done) {
    thread.execute(() -> {
      long t0 = System.nanoTime();
      run(slot, request, k);
      long elapsed = System.nanoTime() - t0;
      request.decodeNanos.addAndGet(elapsed);
      done.accept(elapsed);
    });
  }

  private void run(PipelineSlot slot, DetectionRequest r, int k) {
    if (frames.length < k) {
      frames = new EncodedFrame[k];
      infos = new JpegInfo[k];
    }
    for (int i = 0; i < k; i++) {
      int index = slot.from + i;
      try {
        frames[i] = (EncodedFrame) r.items.get(index);
        infos[i] = fallback.header(frames[i]);
        slot.frameWidths[i] = infos[i].width();
        slot.frameHeights[i] = infos[i].height();
      } catch (Throwable e) {
        r.fail(index, e);
      }
    }
    if (r.failed()) {
      return;
    }
    try {
      decoder.decode(frames, infos, k, slot.memory(), slot.placements);
      r.gpuDecoded.addAndGet(k);
    } catch (NvJpegDecoder.GpuDecodeException e) {
      fallbacks.incrementAndGet();
      lastFallback = e.getMessage();
      long[] times = new long[2];
      int[] size = new int[2];
      for (int i = 0; i < k; i++) {
        try {
          slot.placements[i] = fallback.fill(frames[i], slot.tensor(), i, size, times);
        } catch (Throwable failure) {
          r.fail(slot.from + i, failure);
        }
      }
    } finally {
      java.util.Arrays.fill(frames, 0, k, null);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    decoder.close();
    fallback.close();
  }
}
