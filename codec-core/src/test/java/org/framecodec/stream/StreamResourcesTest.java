package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.framecodec.detect.Detector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines leave nothing behind: after each one ends (normally, failed, or stopped) none of its
 * threads is alive, and running many in a row does not grow the native memory (frame buffers,
 * FFmpeg contexts, packets) the process holds.
 */
class StreamResourcesTest {
  @TempDir
  Path dir;

  @Test
  void manyPipelinesInARowLeaveNoThreadsAndNoNativeMemory() throws Exception {
    Path clip = dir.resolve("clip.mp4");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast",
        "-c:a", "aac", clip.toString());
    try (Detector detector = StreamTestData.openDetector()) {
      for (int i = 0; i < 4; i++) {
        runOnce(detector, clip, i);
      }
      // Blocks of runs after the warm-up. The first blocks may still grow (the JIT compiling,
      // glibc adding a malloc arena per new decoder thread until its limit, sooner or later by
      // JDK); a leak grows every block by the same amount, so the last block is what is judged.
      int blocks = 3;
      int block = 8;
      long[] after = new long[blocks + 1];
      after[0] = outsideHeapKb();
      long peak = after[0];
      int run = 4;
      for (int b = 1; b <= blocks; b++) {
        for (int i = 0; i < block; i++) {
          runOnce(detector, clip, run++);
          if (b == blocks) {
            peak = Math.max(peak, outsideHeapKb());
          }
        }
        after[b] = outsideHeapKb();
      }
      System.out.printf("StreamResourcesTest: %d blocks of %d pipelines (25 frames of 640x360 each, some stopped"
          + " at once, each beside a missing file): native memory after warm-up and each block %s kB; last block's"
          + " peak %,d kB%n", blocks, block, java.util.Arrays.toString(after), peak);
      // One run holds about 8 x 0.7 MB of frame buffers plus FFmpeg's decoder and encoder; leaking
      // those would add far more than this per block (an input left open: +64 MB over 16 runs).
      long growth = Math.min(after[blocks], peak) - after[blocks - 1];
      assertTrue(growth < 16 * 1024, "native memory grew by " + growth + " kB over the last " + block + " pipelines");
    }
  }

  private void runOnce(Detector detector, Path clip, int i) throws Exception {
    Path out = dir.resolve("out-" + i + ".mp4");
    try (StreamPipeline p = StreamPipeline.builder()
        .detector(StreamDetector.local(detector))
        .stream(SourceOptions.builder(clip.toString()).streamId("a").build(), SinkOptions.of(out.toString()))
        .stream(SourceOptions.of(dir.resolve("missing-" + i + ".mp4").toString()),
            SinkOptions.of(dir.resolve("never.mp4").toString()))
        .start()) {
      if (i % 5 == 3) { // stopped while it opens: no failure, nothing left
        p.stop();
      }
      PipelineResult r = p.await(Duration.ofSeconds(60)).orElseThrow();
      assertTrue(r.stream("a").ok(), r.toString());
    }
    List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith("framecodec-stream")).toList();
    assertEquals(List.of(), left, "threads of a closed pipeline");
    Files.deleteIfExists(out);
  }

  /** VmRSS less the committed Java heap (see NativeMemoryTest), after a GC. */
  static long outsideHeapKb() throws IOException, InterruptedException {
    System.gc();
    Thread.sleep(100);
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) - heap;
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }
}
