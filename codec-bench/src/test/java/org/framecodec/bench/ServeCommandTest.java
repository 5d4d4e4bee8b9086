package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.ImageFiles;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceHttpException;
import org.framecodec.transport.InferenceResult;
import org.framecodec.wire.Framing;
import org.junit.jupiter.api.Test;

/** {@code framecodec serve} as a user runs it: its own JVM, stopped by SIGTERM. */
class ServeCommandTest {
  static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize();

  @Test
  void optionsAreCheckedWithTheBadValueNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(new String[] {"--port", "1"}))
        .getMessage().contains("--model is required"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(
        new String[] {"--model", "m.onnx", "--tls-cert", "c.pem"})).getMessage().contains("go together"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(
        new String[] {"--model", "m.onnx", "--port", "x"})).getMessage().contains("'x'"));
    ServeCommand.Settings s = ServeCommand.parse(new String[] {"--model", "m.onnx"});
    assertEquals("127.0.0.1", s.host());
    assertEquals(8000, s.port());
  }

  @Test
  void sigtermLetsInFlightRequestsFinishAndAnswersNewOnes503() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        ServeCommand.class.getName(), "--model", ROOT.resolve(
            "codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx").toString(),
        "--port", "0").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:"), line);
      URI uri = URI.create(line.substring("listening on ".length()));
      EncodedFrame photo;
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        photo = codec.encodeFrame(ImageFiles.read(ROOT.resolve("codec-core/src/test/resources/corpus/moss-1080p.png")),
            EncodeOptions.cv2Yuv(80));
      }
      InferenceClient client = InferenceClient.builder(uri).build();
      List<EncodedFrame> batch = Collections.nCopies(64, photo);
      // Three 64-frame batches: one runs, two wait in the queue; together several seconds of work.
      List<Future<InferenceResult>> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        inFlight.add(pool.submit(() -> client.detectBatch(Framing.RAW, batch)));
      }
      Thread.sleep(1500); // the bodies (8.5 MB each) are read by now
      p.destroy(); // SIGTERM
      Thread.sleep(300);
      InferenceHttpException refused = assertThrows(InferenceHttpException.class,
          () -> client.detect(Framing.RAW, photo));
      assertEquals(503, refused.statusCode(), refused.getMessage());
      assertTrue(refused.bodyExcerpt().contains("shutting down"), refused.bodyExcerpt());
      for (Future<InferenceResult> f : inFlight) {
        assertEquals(64, f.get(120, TimeUnit.SECONDS).detections().size());
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
      assertEquals(143, p.exitValue(), "stopped by SIGTERM");
    } finally {
      pool.shutdownNow();
      p.destroyForcibly();
    }
  }

  static void drain(BufferedReader r) throws IOException {
    while (r.readLine() != null) {
      // nothing
    }
  }
}
