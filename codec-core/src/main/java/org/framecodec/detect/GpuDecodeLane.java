package org.framecodec.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.Pointer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegInfo;

/**
 * nvJPEG's part in filling chunks of payloads: its decoders take blocks of consecutive payloads
 * from the front of each open chunk while the CPU workers take single payloads from the back
 * ({@link ClaimRange}), since the GPU's JPEG engines, the GPU's cores and the machine's cores are
 * separate resources and each should be kept busy.
 *
 * <p>The lane has one or more decoders, each with its own thread and CUDA stream. The hardware
 * backend runs on the JPEG engines; the GPU-hybrid backend decodes Huffman data on the GPU's
 * cores, but only for blocks of more than 50 payloads (below that nvJPEG would do it on the
 * calling thread), so a GPU-hybrid decoder takes no smaller block when it shares. A decoder that
 * finishes a block takes the next from the oldest open chunk, so one decoder's host work (reading
 * headers, staging bitstreams, waiting for the copy back) overlaps another's time on the device.
 *
 * <p>Blocks, not single payloads, since a batched nvJPEG call pays its setup once per block. With
 * a fixed share instead, the GPU takes the chunk's first {@link #shareOf} payloads as one block and
 * the CPU the rest. A block nvJPEG refuses (a progressive or damaged JPEG, a CUDA error) is
 * decoded on the CPU by the decoder's own filler, where each bad frame gets its own exception; the
 * first refusal is logged.
 *
 * <p>The lane also page-locks the pipeline's input tensors ({@link #pin}), which speeds the
 * decoders' copies into them.
 *
 * <p>Thread-safe: each decoder and its filler are confined to the decoder's thread; open chunks
 * are kept under this object's lock.
 */
final class GpuDecodeLane implements AutoCloseable {
  /** nvJPEG's GPU-hybrid backend decodes Huffman data on the GPU only for batches above 50. */
  private static final int GPU_HUFFMAN_MIN_BATCH = 51;
  private static final int STEP = 8;
  private static final System.Logger LOG = System.getLogger(GpuDecodeLane.class.getName());

  /** One chunk open to the lane: where its payloads are, whom to tell what was filled. */
  record Chunk(PipelineSlot slot, DetectionRequest request, int size, ClaimRange claims,
      boolean fixed, IntConsumer filled) {}

  /** One decoder, its thread, the filler for its refused blocks, and its scratch arrays. */
  private final class Unit implements Runnable {
    final GpuBlockDecoder decoder;
    final FrameFiller fallback;
    final boolean gpuHuffman;
    final Thread thread;
    EncodedFrame[] frames = new EncodedFrame[0];
    JpegInfo[] infos = new JpegInfo[0];

    Unit(GpuBlockDecoder decoder, FrameFiller fallback, String name) {
      this.decoder = decoder;
      this.fallback = fallback;
      this.gpuHuffman = decoder.backend() == GpuDecode.GPU_HYBRID.nvjpegBackend();
      this.thread = new Thread(null, this, name, DetectorPipeline.NATIVE_STACK_BYTES);
      thread.setDaemon(true);
    }

    /** The most this unit takes from a chunk of {@code n}. */
    int max(Chunk c) {
      int n = c.size;
      return c.fixed ? n : gpuHuffman ? Math.max(block, GPU_HUFFMAN_MIN_BATCH) : Math.min(block, n);
    }

    /**
     * The least this unit takes from a chunk; more than {@code n} means none. From a chunk of two
     * blocks or more, only whole blocks: each new block size costs nvJPEG a setup, so the tail is
     * the CPU workers'.
     */
    int min(Chunk c) {
      if (c.fixed) {
        return 1;
      }
      if (gpuHuffman) {
        return GPU_HUFFMAN_MIN_BATCH;
      }
      return c.size >= 2 * block ? block : Math.max(1, Math.min(block, c.size) / 2);
    }

    @Override
    public void run() {
      long[] claim = new long[1];
      while (true) {
        Chunk c = next(this, claim);
        if (c == null) {
          return;
        }
        int from = ClaimRange.first(claim[0]);
        int k = ClaimRange.count(claim[0]);
        long t0 = System.nanoTime();
        try {
          decodeBlock(this, c, from, k);
        } catch (Throwable e) {
          // Whatever a block raises fails its request; the chunk must still end, and the thread
          // live on for the other chunks.
          c.request.fail(c.slot.from + from, e);
        } finally {
          c.request.decodeNanos.addAndGet(System.nanoTime() - t0);
          c.filled.accept(k);
        }
      }
    }
  }

  private final List<Unit> units;
  private final double fixedShare;
  private final int block;
  private final ArrayDeque<Chunk> open = new ArrayDeque<>();
  /** Blocks the GPU refused so far; the first is logged. */
  private final AtomicLong refused = new AtomicLong();
  /** Addresses of the tensors this lane page-locked. */
  private final Set<Long> pinned = ConcurrentHashMap.newKeySet();
  private volatile boolean pinRefused;
  private boolean closed;

  /**
   * Takes ownership of {@code decoders} and their {@code fallbacks} (same length, one filler per
   * decoder), which {@link #close()} closes, and starts a thread per decoder. {@code fixedShare} in
   * [0, 1], or negative to share each chunk with the CPU workers by claims; {@code block} is how
   * many payloads a hardware decoder takes at a time then.
   */
  GpuDecodeLane(List<? extends GpuBlockDecoder> decoders, List<FrameFiller> fallbacks,
      double fixedShare, int block, String name) {
    if (decoders.isEmpty() || decoders.size() != fallbacks.size()) {
      throw new IllegalArgumentException("one filler per decoder, at least one decoder");
    }
    if (block < 1) {
      throw new IllegalArgumentException("GPU decode block must be at least 1, got " + block);
    }
    this.fixedShare = fixedShare;
    this.block = block;
    List<Unit> all = new ArrayList<>();
    for (int i = 0; i < decoders.size(); i++) {
      all.add(new Unit(decoders.get(i), fallbacks.get(i), name + "-" + i));
    }
    this.units = List.copyOf(all);
    for (Unit u : units) {
      u.thread.start();
    }
  }

  String description() {
    return units.get(0).decoder.description() + ", " + units.size()
        + (units.size() == 1 ? " stream, " : " streams, ")
        + (fixedShare >= 0 ? "share " + fixedShare : "blocks of " + block + " shared");
  }

  /** How many nvJPEG decoders the lane has. */
  int decoders() {
    return units.size();
  }

  /** Whether the GPU takes a fixed share of each chunk rather than claiming blocks. */
  boolean fixedShare() {
    return fixedShare >= 0;
  }

  /**
   * Page-locks a pipeline tensor of {@code bytes} at {@code memory} (at position 0), if CUDA
   * allows; {@link #unpin} must be called before the memory is freed.
   */
  void pin(Pointer memory, long bytes) {
    if (units.get(0).decoder.pin(memory, bytes)) {
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
      units.get(0).decoder.unpin(memory);
    }
  }

  /**
   * With a fixed share, how many of a chunk of {@code n} payloads the GPU takes: a multiple of
   * {@link #STEP} (or all of them), since nvJPEG's batched decoder is set up for one batch size
   * and setting it up again costs time. Without one, {@code n}: the GPU may claim any of them.
   */
  int shareOf(int n) {
    if (fixedShare < 0) {
      return n;
    }
    int k = (int) Math.round(n * fixedShare / STEP) * STEP;
    return fixedShare >= 1 ? n : Math.max(0, Math.min(n, k));
  }

  /** Opens a chunk to the decoders; they claim from it until it has no block left for them. */
  synchronized void offer(Chunk chunk) {
    if (closed) {
      throw new IllegalStateException("the GPU decode lane is closed");
    }
    open.addLast(chunk);
    notifyAll();
  }

  /**
   * The oldest open chunk with a block for {@code u}, its claim in {@code claim[0]}; null once the
   * lane is closed.
   */
  private synchronized Chunk next(Unit u, long[] claim) {
    while (true) {
      for (Iterator<Chunk> it = open.iterator(); it.hasNext();) {
        Chunk c = it.next();
        int min = u.min(c);
        long got = min > c.size ? -1 : c.claims.claimFront(u.max(c), min);
        if (got >= 0) {
          claim[0] = got;
          return c;
        }
        if (c.request.failed()) {
          // The request fails anyway: count the GPU's unclaimed items as done, so the chunk ends.
          long rest = c.claims.claimFront(Integer.MAX_VALUE, 1);
          if (rest >= 0) {
            c.filled.accept(ClaimRange.count(rest));
          }
          it.remove();
        } else if (c.claims.availableToGpu() < least(c)) {
          it.remove(); // what is left there goes to the CPU workers
        }
      }
      if (closed) {
        return null;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        return null;
      }
    }
  }

  /** The smallest block any decoder takes from {@code c}. */
  private int least(Chunk c) {
    int least = Integer.MAX_VALUE;
    for (Unit u : units) {
      least = Math.min(least, u.min(c));
    }
    return least;
  }

  private void decodeBlock(Unit u, Chunk c, int from, int k) {
    PipelineSlot slot = c.slot;
    DetectionRequest r = c.request;
    if (u.frames.length < k) {
      u.frames = new EncodedFrame[k];
      u.infos = new JpegInfo[k];
    }
    EncodedFrame[] frames = u.frames;
    JpegInfo[] infos = u.infos;
    try {
      for (int i = 0; i < k; i++) {
        int index = slot.from + from + i;
        try {
          frames[i] = (EncodedFrame) r.items.get(index);
          infos[i] = u.fallback.header(frames[i]);
          slot.frameWidths[from + i] = infos[i].width();
          slot.frameHeights[from + i] = infos[i].height();
        } catch (Throwable e) {
          r.fail(index, e);
        }
      }
      if (r.failed()) {
        return;
      }
      try {
        u.decoder.decode(frames, infos, k, slot.memoryAt(from), slot.placements, from);
        r.gpuDecoded.addAndGet(k);
      } catch (RuntimeException e) {
        // nvJPEG refused the block (or a frame in it): decode each frame on the CPU, where a bad
        // one gets its own exception.
        if (refused.getAndIncrement() == 0) {
          LOG.log(System.Logger.Level.WARNING, "nvJPEG refused a block of " + k + " payloads ("
              + e + "); it and any later refused block are decoded on the CPU", e);
        }
        long[] times = new long[2];
        int[] size = new int[2];
        for (int i = 0; i < k; i++) {
          try {
            slot.placements[from + i] = u.fallback.fill(frames[i], slot.tensor(), from + i, size,
                times);
          } catch (Throwable failure) {
            r.fail(slot.from + from + i, failure);
          }
        }
      }
    } finally {
      Arrays.fill(frames, 0, k, null);
    }
  }

  /**
   * Stops the decoders' threads once the chunks offered so far have no block left for them (the
   * pipeline closes the lane only after its requests are done), then frees the decoders.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    boolean interrupted = false;
    for (Unit u : units) {
      try {
        u.thread.join(60_000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (Unit u : units) {
      if (!u.thread.isAlive()) {
        u.decoder.close();
        u.fallback.close();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
