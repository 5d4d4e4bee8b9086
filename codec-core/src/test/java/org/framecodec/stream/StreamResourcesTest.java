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
      long baseline = outsideHeapKb();
      long peak = baseline;
      int runs = 16;
      for (int i = 0; i < runs; i++) {
        runOnce(detector, clip, i);
        peak = Math.max(peak, outsideHeapKb());
      }
      long end = outsideHeapKb();
      System.out.printf("StreamResourcesTest: %d pipelines (25 frames of 640x360 each, two of them stopped at"
          + " once, a missing file between): native memory %,d kB after warm-up, %,d kB peak, %,d kB at the end%n",
          runs, baseline, peak, end);
      // One run holds about 8 x 0.7 MB of frame buffers plus FFmpeg's contexts; a leak of those per
      // run would add over 100 MB in 16 runs.
      long growth = Math.min(end, peak) - baseline;
      assertTrue(growth < 48 * 1024, "native memory grew by " + growth + " kB over " + runs + " pipelines");
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
      if (i % 8 == 3) {
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
