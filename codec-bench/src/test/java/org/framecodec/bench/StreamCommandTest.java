package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.bench.FrameCodecCliTest.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code framecodec stream} from the command line, on two short clips Debian's ffmpeg makes here:
 * outputs into a directory, the sidecar, the report, and the exit status of usage errors and of a
 * stream that fails. The pipeline itself is tested in codec-core's org.framecodec.stream.
 */
class StreamCommandTest {
  @TempDir static Path tmp;
  static Path a;
  static Path b;

  @BeforeAll
  static void clips() throws Exception {
    a = tmp.resolve("a.mp4");
    b = tmp.resolve("b.mkv");
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
        "-c:a", "aac", a.toString());
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=256x144:rate=30", "-t", "1", "-c:v", "libx264",
        "-preset", "ultrafast", b.toString());
  }

  static void ffmpeg(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-y", "-v", "error", "-nostdin"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg failed: " + log);
  }

  @Test
  void annotatesTwoFilesIntoADirectoryWithASidecar() throws Exception {
    Path out = tmp.resolve("annotated");
    Path sidecar = tmp.resolve("faces.jsonl");
    Result r = FrameCodecCliTest.cli("stream", "--in", a.toString(), "--in", b.toString(), "--out", out + "/",
        "--sidecar", sidecar.toString(), "--device", "cpu");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(Files.size(out.resolve("a.mp4")) > 0 && Files.size(out.resolve("b.mp4")) > 0, r.out());
    assertTrue(r.out().contains("a.mp4: in 50 ") && r.out().contains("out 50 "), r.out());
    assertTrue(r.out().contains("b.mkv: in 30 "), r.out());
    assertTrue(r.out().contains("H.264 encode + mux: 80 frames"), r.out());
    List<String> lines = Files.readAllLines(sidecar);
    assertEquals(80, lines.size());
    assertTrue(lines.get(0).startsWith("{\"stream\":\""), lines.get(0));
  }

  @Test
  void usageErrorsExitTwo() {
    Result noIn = FrameCodecCliTest.cli("stream", "--out", "x.mp4");
    assertEquals(2, noIn.code());
    assertTrue(noIn.err().startsWith("framecodec stream: ") && noIn.err().contains("--in"), noIn.err());
    Result both = FrameCodecCliTest.cli("stream", "--in", "a.mp4", "--out", "x.mp4", "--model", "m.onnx",
        "--detector", "http://127.0.0.1:1/detect");
    assertEquals(2, both.code(), both.err());
    Result mismatch = FrameCodecCliTest.cli("stream", "--in", a.toString(), "--in", b.toString(), "--out",
        tmp.resolve("one.mp4").toString());
    assertEquals(1, mismatch.code(), mismatch.err());
    assertTrue(mismatch.err().contains("one --out per --in"), mismatch.err());
  }

  @Test
  void aStreamThatFailsExitsOneAndSaysWhy() {
    Result r = FrameCodecCliTest.cli("stream", "--in", tmp.resolve("missing.mp4").toString(), "--out",
        tmp.resolve("missing-out.mp4").toString(), "--device", "cpu");
    assertEquals(1, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("missing.mp4: SourceUnavailableException: cannot open"), r.out());
  }
}
