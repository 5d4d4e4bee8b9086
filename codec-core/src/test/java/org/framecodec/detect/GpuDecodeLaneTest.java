package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegInfo;
import org.junit.jupiter.api.Test;

/**
 * The GPU lane's scheduling, on machines without a GPU: its decoders here decode their blocks with
 * libjpeg-turbo on the lane's threads, so the claims, the fixed share, the fall-back of refused
 * blocks, failures and close are tested exactly as the nvJPEG lane runs them, and every result is
 * compared with the serial path's. (nvJPEG itself is tested on the GPU machine, by the report's
 * accuracy section.)
 */
class GpuDecodeLaneTest {
  private static final List<EncodedFrame> scenes = DetectorScenes.payloads();
  private static final List<List<Detection>> serial = DetectorScenes.serial();

  /** Decodes blocks on the CPU; refuses every {@code refuseEvery}-th block (0: none). */
  static final class CpuBlockDecoder implements GpuBlockDecoder {
    private final FrameFiller filler;
    private final int backend;
    private final int refuseEvery;
    private final List<CpuBlockDecoder> live;
    private final int[] size = new int[2];
    private final long[] times = new long[2];
    private int blocks;
    volatile int decoded;

    CpuBlockDecoder(InputSpec spec, int backend, int refuseEvery, List<CpuBlockDecoder> live) {
      this.filler = new FrameFiller(spec, CodecBackend.TURBOJPEG, Limits.defaults(), true);
      this.backend = backend;
      this.refuseEvery = refuseEvery;
      this.live = live;
      live.add(this);
    }

    @Override
    public int backend() {
      return backend;
    }

    @Override
    public String description() {
      return "libjpeg-turbo standing in for nvJPEG backend " + backend;
    }

    @Override
    public void decode(EncodedFrame[] frames, JpegInfo[] infos, int count, FloatPointer host,
        Letterbox[] placements, int at) {
      if (refuseEvery > 0 && ++blocks % refuseEvery == 0) {
        throw new NvJpegDecoder.GpuDecodeException("block refused for the test");
      }
      FloatBuffer tensor = host.asBuffer();
      for (int i = 0; i < count; i++) {
        placements[at + i] = filler.fill(frames[i], tensor, i, size, times);
      }
      decoded += count;
    }

    @Override
    public boolean pin(Pointer memory, long bytes) {
      return false; // host memory needs no page-locking for a CPU decoder
    }

    @Override
    public void unpin(Pointer memory) {
      throw new AssertionError("nothing was pinned");
    }

    @Override
    public void close() {
      filler.close();
      live.remove(this);
    }
  }

  private static Detector open(DetectorOptions.Builder options, int refuseEvery,
      List<CpuBlockDecoder> live) {
    return OpenCvDetector.open(options.gpuDecode(GpuDecode.HARDWARE).build(),
        (spec, backend) -> new CpuBlockDecoder(spec, backend, refuseEvery, live));
  }

  private static List<EncodedFrame> repeated(int n) {
    List<EncodedFrame> many = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      many.add(scenes.get(i % scenes.size()));
    }
    return many;
  }

  private static List<List<Detection>> expected(int n) {
    List<List<Detection>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(serial.get(i % scenes.size()));
    }
    return out;
  }

  @Test
  void lanesAndWorkersClaimingOneBatchGiveWhatTheSerialPathGives() {
    List<CpuBlockDecoder> live = new CopyOnWriteArrayList<>();
    int n = 37;
    try (Detector d = open(DetectorScenes.options().maxBatch(8).decodeThreads(2)
        .gpuDecodeBlock(2), 0, live)) {
      assertTrue(d.info().gpuDecode().endsWith("2 streams, blocks of 2 shared"), d.info().gpuDecode());
      List<CompletableFuture<DetectionBatch>> futures = new ArrayList<>();
      for (int round = 0; round < 6; round++) {
        futures.add(d.detectEncodedAsync(repeated(n)));
      }
      long gpu = 0;
      for (CompletableFuture<DetectionBatch> f : futures) {
        DetectionBatch b = f.join();
        assertEquals(expected(n), b.all());
        gpu += b.gpuDecoded();
      }
      assertTrue(gpu > 0, "the lane decoded " + gpu + " of " + 6 * n);
    }
    assertEquals(List.of(), live, "close frees every decoder");
  }

  @Test
  void aFixedShareOfOneDecodesEveryPayloadOnTheLane() {
    List<CpuBlockDecoder> live = new CopyOnWriteArrayList<>();
    try (Detector d = open(DetectorScenes.options().maxBatch(8).decodeThreads(2)
        .gpuDecodeShare(1), 0, live)) {
      DetectionBatch b = d.detectEncoded(repeated(20));
      assertEquals(expected(20), b.all());
      assertEquals(20, b.gpuDecoded());
    }
  }

  @Test
  void blocksTheDeviceRefusesAreDecodedOnTheCpu() {
    List<CpuBlockDecoder> live = new CopyOnWriteArrayList<>();
    try (Detector d = open(DetectorScenes.options().maxBatch(4).decodeThreads(2)
        .gpuDecodeShare(1).gpuDecodeStreams(1), 2, live)) {
      DetectionBatch b = d.detectEncoded(repeated(16));
      assertEquals(expected(16), b.all());
      assertEquals(8, b.gpuDecoded(), "every other block of four was refused and decoded on the CPU");
    }
  }

  @Test
  void aCorruptPayloadFailsOnlyItsOwnBatchWhicheverSideDecodesIt() {
    List<EncodedFrame> bad = DetectorScenes.withTwoCorrupt();
    for (double share : new double[] {-1, 1}) {
      List<CpuBlockDecoder> live = new CopyOnWriteArrayList<>();
      try (Detector d = open(DetectorScenes.options().decodeThreads(2).gpuDecodeBlock(2)
          .gpuDecodeShare(share), 0, live)) {
        CompletableFuture<DetectionBatch> failing = d.detectEncodedAsync(bad);
        CompletableFuture<DetectionBatch> fine = d.detectEncodedAsync(scenes);
        CompletionException e = assertThrows(CompletionException.class, failing::join);
        assertInstanceOf(CorruptPayloadException.class, e.getCause(), "share " + share);
        assertEquals(serial, fine.join().all(), "share " + share);
        assertEquals(serial, d.detectEncoded(scenes).all(), "the detector goes on, share " + share);
      }
      assertEquals(List.of(), live);
    }
  }

  @Test
  void gpuHybridDecodersTakeOnlyBlocksAboveFiftySinceNvJpegDecodesSmallerOnesOnTheCpu() {
    List<CpuBlockDecoder> live = new CopyOnWriteArrayList<>();
    DetectorOptions.Builder hybrid = DetectorScenes.options().decodeThreads(1)
        .gpuDecodeStreams(1).gpuDecodeBlock(4);
    try (Detector d = OpenCvDetector.open(hybrid.maxBatch(40).gpuDecode(GpuDecode.GPU_HYBRID).build(),
        (spec, backend) -> new CpuBlockDecoder(spec, backend, 0, live))) {
      assertEquals(2, live.get(0).backend());
      DetectionBatch b = d.detectEncoded(repeated(40));
      assertEquals(expected(40), b.all());
      assertEquals(0, b.gpuDecoded(), "a chunk of 40 is too small for GPU Huffman decoding");
    }
    try (Detector d = OpenCvDetector.open(hybrid.maxBatch(120).gpuDecode(GpuDecode.GPU_HYBRID).build(),
        (spec, backend) -> new CpuBlockDecoder(spec, backend, 0, live))) {
      DetectionBatch b = d.detectEncoded(repeated(120));
      assertEquals(expected(120), b.all());
      assertTrue(b.gpuDecoded() == 0 || b.gpuDecoded() >= 51, b.gpuDecoded() + " decoded by the lane");
    }
    assertEquals(List.of(), live);
  }

  @Test
  void closeStopsTheLaneThreads() throws Exception {
    List<CpuBlockDecoder> live = new CopyOnWriteArrayList<>();
    Detector d = open(DetectorScenes.options().decodeThreads(1).gpuDecodeStreams(3), 0, live);
    assertEquals(3, laneThreads());
    assertEquals(serial, d.detectEncoded(scenes).all());
    d.close();
    assertEquals(0, laneThreads());
    assertEquals(List.of(), live);
  }

  private static long laneThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("framecodec-detect-nvjpeg") && t.isAlive()).count();
  }
}
