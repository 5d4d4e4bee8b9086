package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.framecodec.CorruptPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.junit.jupiter.api.Test;

/**
 * The pipelined detector as several callers use it at once: each gets exactly the detections the
 * serial path gives for its own frames, a bad payload fails only its own batch, batches larger
 * than the model's batch flow through as chunks, and close lets batches in flight finish.
 */
class DetectorPipelineTest {
  private static final List<EncodedFrame> scenes = DetectorScenes.payloads();
  private static final List<List<Detection>> serial = DetectorScenes.serial();

  static DetectorOptions.Builder options() {
    return DetectorScenes.options();
  }

  @Test
  void concurrentCallersEachGetWhatTheSerialPathGives() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (Detector d = Detector.open(options().decodeThreads(2).build())) {
      List<Future<String>> checks = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int rotation = c * 3;
        checks.add(callers.submit(() -> {
          List<EncodedFrame> mine = new ArrayList<>(scenes);
          java.util.Collections.rotate(mine, rotation);
          List<CompletableFuture<DetectionBatch>> futures = new ArrayList<>();
          for (int round = 0; round < 3; round++) {
            futures.add(d.detectEncodedAsync(mine));
          }
          for (CompletableFuture<DetectionBatch> f : futures) {
            List<List<Detection>> got = f.join().all();
            for (int i = 0; i < mine.size(); i++) {
              int original = Math.floorMod(i - rotation, scenes.size());
              if (!got.get(i).equals(serial.get(original))) {
                return "caller rotated by " + rotation + ", item " + i + ": " + got.get(i)
                    + " vs " + serial.get(original);
              }
            }
          }
          return "";
        }));
      }
      for (Future<String> check : checks) {
        assertEquals("", check.get());
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aCorruptPayloadFailsOnlyItsOwnBatchWithTheLowestBadIndex() {
    List<EncodedFrame> bad = DetectorScenes.withTwoCorrupt();
    try (Detector d = Detector.open(options().decodeThreads(2).build())) {
      CompletableFuture<DetectionBatch> failing = d.detectEncodedAsync(bad);
      CompletableFuture<DetectionBatch> fine = d.detectEncodedAsync(scenes);
      CompletionException e = assertThrows(CompletionException.class, failing::join);
      assertInstanceOf(CorruptPayloadException.class, e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("corrupt JPEG"), e.getCause().getMessage());
      assertEquals(serial, fine.join().all());
      // The synchronous call throws the item's own exception, not a wrapper.
      assertThrows(CorruptPayloadException.class, () -> d.detectEncoded(bad));
      assertEquals(serial, d.detectEncoded(scenes).all(), "the detector goes on after a failure");
    }
  }

  @Test
  void aBatchLargerThanTheModelsBatchFlowsThroughAsChunks() {
    List<EncodedFrame> many = new ArrayList<>();
    List<List<Detection>> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      many.add(scenes.get(i % scenes.size()));
      expected.add(serial.get(i % scenes.size()));
    }
    try (Detector d = Detector.open(options().decodeThreads(2).build())) {
      DetectionBatch b = d.detectEncoded(many);
      assertEquals(expected, b.all());
      StageTimings t = b.timings();
      assertTrue(t.decodeNanos() > 0 && t.preprocessNanos() > 0 && t.inferenceNanos() > 0
          && t.postprocessNanos() > 0, t.toString());
      assertEquals(Math.max(0, t.busyNanos() - t.totalNanos()), t.overlapNanos());
      assertEquals(0, b.gpuDecoded());
    }
  }

  @Test
  void twoModelInstancesTakeChunksInTurnAndGiveWhatTheSerialPathGives() throws Exception {
    List<EncodedFrame> many = new ArrayList<>();
    List<List<Detection>> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      many.add(scenes.get(i % scenes.size()));
      expected.add(serial.get(i % scenes.size()));
    }
    try (Detector d = Detector.open(options().decodeThreads(2).modelInstances(2).build())) {
      assertEquals(2, d.info().modelInstances());
      assertEquals(2, Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().matches("framecodec-detect-\\d+-inference-\\d") && t.isAlive())
          .count(), "one inference thread per copy of the network");
      List<CompletableFuture<DetectionBatch>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        futures.add(d.detectEncodedAsync(many));
      }
      for (CompletableFuture<DetectionBatch> f : futures) {
        assertEquals(expected, f.join().all());
      }
    }
    try (Detector d = Detector.open(options().build())) {
      assertEquals(1, d.info().modelInstances(), "automatic: one copy when the model runs on the CPU");
    }
    assertEquals(2, OpenCvDetector.autoModelInstances(DnnTarget.CUDA, 16), "small batches on a GPU");
    assertEquals(2, OpenCvDetector.autoModelInstances(DnnTarget.CUDA_FP16, 32), "small batches on a GPU");
    assertEquals(1, OpenCvDetector.autoModelInstances(DnnTarget.CUDA, 64), "large batches on a GPU");
    assertEquals(1, OpenCvDetector.autoModelInstances(DnnTarget.CPU, 16), "the CPU");
    try (Detector d = Detector.open(options().decodeThreads(0).modelInstances(3).build())) {
      assertEquals(1, d.info().modelInstances(), "the serial path runs one copy");
    }
  }

  @Test
  void closeLetsBatchesInFlightFinishThenRefusesAndStopsItsThreads() throws Exception {
    Detector d = Detector.open(options().decodeThreads(2).build());
    List<CompletableFuture<DetectionBatch>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(d.detectEncodedAsync(scenes));
    }
    d.close();
    for (CompletableFuture<DetectionBatch> f : inFlight) {
      assertTrue(f.isDone(), "close waited for it");
      assertEquals(serial, f.join().all());
    }
    d.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> d.detectEncoded(scenes));
    assertThrows(IllegalStateException.class, () -> d.detectEncodedAsync(scenes));
    for (int i = 0; i < 100 && pipelineThreads() > 0; i++) {
      Thread.sleep(20);
    }
    assertEquals(0, pipelineThreads(), "workers and the inference thread have ended");
  }

  @Test
  void onACpuOnlyMachineTheGpuDecodeIsOffAndSaysWhy() {
    try (Detector d = Detector.open(options().build())) {
      assertEquals("off: the model runs on the CPU", d.info().gpuDecode());
    }
    try (Detector d = Detector.open(options().gpuDecode(GpuDecode.OFF).build())) {
      assertEquals("off", d.info().gpuDecode());
    }
    try (Detector d = Detector.open(options().decodeThreads(0).build())) {
      assertEquals("off: serial path", d.info().gpuDecode());
    }
  }

  @Test
  void optionsRefuseBadThreadCountsSharesAndStreamCounts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> options().decodeThreads(-1).build());
    assertEquals("decode threads must be 0..1024, got -1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> options().gpuDecodeShare(1.5).build());
    assertEquals("GPU decode share must be 0..1, or negative for none (the GPU and the CPU claim"
        + " from each batch), got 1.5", e.getMessage());
    assertEquals(-1, options().gpuDecodeShare(-0.5).build().gpuDecodeShare());
    e = assertThrows(IllegalArgumentException.class, () -> options().gpuDecodeStreams(0).build());
    assertEquals("GPU decode streams must be 1..8, got 0", e.getMessage());
    assertEquals(3, options().gpuDecodeStreams(3).build().toBuilder().build().gpuDecodeStreams());
    e = assertThrows(IllegalArgumentException.class, () -> options().gpuDecodeBlock(0).build());
    assertEquals("GPU decode block must be 1..4096 payloads, got 0", e.getMessage());
    assertEquals(32, options().gpuDecodeBlock(32).build().toBuilder().build().gpuDecodeBlock());
    e = assertThrows(IllegalArgumentException.class, () -> options().modelInstances(9).build());
    assertEquals("model instances must be 1..8, or 0 for automatic, got 9", e.getMessage());
    assertEquals(2, options().modelInstances(2).build().toBuilder().build().modelInstances());
  }

  private static long pipelineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("framecodec-detect-") && t.isAlive()).count();
  }
}
