package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.framecodec.FrameCodecException;
import org.framecodec.detect.Detector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that cannot be streamed, each made by Debian's ffmpeg (or by hand) in the test: every
 * one ends its stream with a typed error naming the problem, or with the documented recovery,
 * within its timeouts; none hangs or crashes the JVM.
 */
class BadInputTest {
  @TempDir
  static Path dir;
  static Detector detector;

  @BeforeAll
  static void open() {
    detector = StreamTestData.openDetector();
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  /** Runs one stream to its end (60 s at most) and returns its result. */
  static StreamResult run(SourceOptions source, Path out) throws InterruptedException {
    try (StreamPipeline p = StreamPipeline.builder()
        .detector(StreamDetector.local(detector))
        .stream(source, SinkOptions.of(out.toString()))
        .start()) {
      PipelineResult r = p.await(Duration.ofSeconds(60))
          .orElseThrow(() -> new AssertionError("the pipeline did not end within 60 s"));
      return r.streams().get(0);
    }
  }

  static FrameCodecException failure(StreamResult r) {
    assertFalse(r.ok(), "the stream should have failed: " + r.stats());
    return r.failure().get();
  }

  @Test
  void anAudioOnlyInputIsUnsupported() throws Exception {
    Path in = dir.resolve("tone.m4a");
    Tools.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:a", "aac", in.toString());
    FrameCodecException e = failure(run(SourceOptions.of(in.toString()), dir.resolve("tone-out.mp4")));
    assertInstanceOf(UnsupportedStreamException.class, e);
    assertTrue(e.getMessage().contains("has no video stream") && e.getMessage().contains("audio aac"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("tone-out.mp4")), "no output is started for an input that is not video");
  }

  @Test
  void randomBytesAreACorruptStream() throws Exception {
    Path in = dir.resolve("noise.mp4");
    byte[] noise = new byte[200_000];
    new Random(13).nextBytes(noise);
    Files.write(in, noise);
    FrameCodecException e = failure(run(SourceOptions.of(in.toString()), dir.resolve("noise-out.mp4")));
    assertInstanceOf(CorruptStreamException.class, e);
    assertTrue(e.getMessage().contains(in.toString()), e.getMessage());
  }

  @Test
  void aMissingFileIsUnavailable() throws Exception {
    Path in = dir.resolve("no-such-file.mp4");
    FrameCodecException e = failure(run(SourceOptions.of(in.toString()), dir.resolve("missing-out.mp4")));
    assertInstanceOf(SourceUnavailableException.class, e);
    assertEquals(1, ((SourceUnavailableException) e).attempts());
    assertTrue(e.getMessage().contains("No such file"), e.getMessage());
  }

  @Test
  void aCodecFfmpegCannotDecodeIsUnsupported() throws Exception {
    Path h264 = dir.resolve("pattern.mp4");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1", "-c:v", "libx264",
        "-preset", "ultrafast", h264.toString());
    // The same H.264 bitstream in AVI under a FourCC no decoder claims.
    Path unknown = dir.resolve("unknown-fourcc.avi");
    Tools.ffmpeg("-i", h264.toString(), "-c:v", "copy", "-vtag", "QQQQ", "-strict", "unofficial",
        unknown.toString());
    FrameCodecException e = failure(run(SourceOptions.of(unknown.toString()), dir.resolve("unknown-out.mp4")));
    assertInstanceOf(UnsupportedStreamException.class, e);
    assertTrue(e.getMessage().contains("no decoder"), e.getMessage());
  }

  @Test
  void anUnreachableUrlFailsAfterItsReconnectAttempts() throws Exception {
    int port = RtmpServer.freePort();
    SourceOptions src = SourceOptions.builder("rtmp://127.0.0.1:" + port + "/live/nobody")
        .reconnect(ReconnectPolicy.of(2, Duration.ofMillis(100), Duration.ofMillis(200), 2)).build();
    long t0 = System.nanoTime();
    FrameCodecException e = failure(run(src, dir.resolve("unreachable-out.mp4")));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertInstanceOf(SourceUnavailableException.class, e);
    assertEquals(3, ((SourceUnavailableException) e).attempts(), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    assertTrue(seconds < 10, "gave up after " + seconds + " s");
  }

  @Test
  void aServerThatNeverAnswersTimesOutInsteadOfHanging() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (IOException ignored) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      SourceOptions src = SourceOptions.builder("rtmp://127.0.0.1:" + silent.getLocalPort() + "/live/x")
          .openTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1))
          .reconnect(ReconnectPolicy.of(1, Duration.ofMillis(50), Duration.ofMillis(50), 1)).build();
      long t0 = System.nanoTime();
      FrameCodecException e = failure(run(src, dir.resolve("silent-out.mp4")));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertInstanceOf(SourceUnavailableException.class, e);
      assertInstanceOf(SourceTimeoutException.class, e.getCause(), e.toString());
      assertEquals(2, ((SourceUnavailableException) e).attempts());
      assertTrue(seconds >= 2 && seconds < 8, "two 1 s open timeouts, then the error; took " + seconds + " s");
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aResolutionChangeMidStreamIsAnalysedAtEachSizeAndScaledToTheFirst() throws Exception {
    Path a = dir.resolve("part-a.ts");
    Path b = dir.resolve("part-b.ts");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "2", "-c:v", "libx264",
        "-preset", "ultrafast", "-bf", "0", "-f", "mpegts", a.toString());
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "2", "-c:v", "libx264",
        "-preset", "ultrafast", "-bf", "0", "-output_ts_offset", "2", "-f", "mpegts", b.toString());
    // One MPEG-TS stream whose H.264 changes size at 2 s, as an encoder reconfigured live does.
    Path joined = dir.resolve("size-change.ts");
    Files.write(joined, concat(Files.readAllBytes(a), Files.readAllBytes(b)));
    Path out = dir.resolve("size-change-out.mp4");
    Path sidecar = dir.resolve("size-change.jsonl");
    PipelineResult result;
    try (StreamPipeline p = StreamPipeline.builder()
        .detector(StreamDetector.local(detector))
        .stream(SourceOptions.builder(joined.toString()).streamId("resize").build(), SinkOptions.of(out.toString()))
        .sidecar(sidecar).start()) {
      result = p.await(Duration.ofSeconds(60)).orElseThrow();
    }
    assertTrue(result.ok(), () -> result.streams().toString());
    assertEquals(100, result.stream("resize").stats().framesOut());
    List<SidecarLines.Line> lines = SidecarLines.read(sidecar);
    assertEquals(100, lines.size());
    assertEquals(640, lines.get(0).width());
    assertEquals(320, lines.get(99).width());
    assertEquals(180, lines.get(99).height());
    assertEquals("h264,640,360", Tools.videoFormat(out), "the output keeps the first size");
    assertEquals(100, Tools.countFrames(out));
  }

  @Test
  void damagedPacketsAreSkippedAndTheRestIsWritten() throws Exception {
    Path clean = dir.resolve("clean.ts");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "4", "-c:v", "libx264",
        "-preset", "ultrafast", "-bf", "0", "-g", "25", "-f", "mpegts", clean.toString());
    Path damaged = dir.resolve("damaged.ts");
    Files.copy(clean, damaged);
    long size = Files.size(damaged);
    Random random = new Random(7);
    try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
      // Overwrite 40 runs of 300 bytes in the middle half with noise: packets and frames break.
      for (int i = 0; i < 40; i++) {
        long at = size / 4 + (long) (random.nextDouble() * (size / 2));
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        f.seek(at);
        f.write(noise);
      }
    }
    Path out = dir.resolve("damaged-out.mp4");
    StreamResult r = run(SourceOptions.of(damaged.toString()), out);
    assertTrue(r.ok(), () -> "isolated damage is skipped, not fatal: " + r);
    StreamStats s = r.stats();
    assertTrue(s.framesOut() >= 50 && s.framesOut() <= 100, "most frames survive: " + s);
    assertEquals((int) s.framesOut(), Tools.countFrames(out), "what was written plays back");
  }

  @Test
  void tooManyUndecodablePacketsInARowAreACorruptStream() throws Exception {
    Path clean = dir.resolve("clean2.ts");
    Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "2", "-c:v", "libx264",
        "-preset", "ultrafast", "-f", "mpegts", clean.toString());
    // Keep the transport-stream framing (sync byte, header) but fill every payload with noise.
    byte[] ts = Files.readAllBytes(clean);
    Random random = new Random(11);
    for (int p = 0; p + 188 <= ts.length; p += 188) {
      int pid = ((ts[p + 1] & 0x1f) << 8) | (ts[p + 2] & 0xff);
      boolean start = (ts[p + 1] & 0x40) != 0;
      if (pid == 0x100 && !start) {
        for (int i = p + 4; i < p + 188; i++) {
          ts[i] = (byte) random.nextInt(256);
        }
      }
    }
    Path noisy = dir.resolve("noisy.ts");
    Files.write(noisy, ts);
    StreamResult r = run(SourceOptions.builder(noisy.toString()).maxConsecutiveDecodeErrors(3).build(),
        dir.resolve("noisy-out.mp4"));
    if (r.ok()) {
      // The decoder concealed everything: then it must at least have counted the damage.
      assertTrue(r.stats().decodeErrors() > 0 || r.stats().framesOut() < 50, r.toString());
    } else {
      assertInstanceOf(CorruptStreamException.class, r.failure().get());
      assertTrue(r.failure().get().getMessage().contains("in a row"), r.failure().get().getMessage());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @SuppressWarnings("unused")
  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
