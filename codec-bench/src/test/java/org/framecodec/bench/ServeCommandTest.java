package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.ImageFiles;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceHttpException;
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
      assertEquals(1, client.detect(Framing.RAW, photo).detections().size());
      // A request in flight: its headers and half its body sent, the rest after the SIGTERM.
      byte[] body = new org.framecodec.wire.WireWriter().write(Framing.RAW, photo);
      try (java.net.Socket inFlight = new java.net.Socket(uri.getHost(), uri.getPort())) {
        inFlight.setSoTimeout(60_000);
        java.io.OutputStream o = inFlight.getOutputStream();
        o.write(("POST /detect HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        o.write(body, 0, body.length / 2);
        o.flush();
        Thread.sleep(500); // the server has the headers: the request is in flight
        p.destroy(); // SIGTERM
        Thread.sleep(500);
        InferenceHttpException refused = assertThrows(InferenceHttpException.class,
            () -> client.detect(Framing.RAW, photo));
        assertEquals(503, refused.statusCode(), refused.getMessage());
        assertTrue(refused.bodyExcerpt().contains("shutting down"), refused.bodyExcerpt());
        o.write(body, body.length / 2, body.length - body.length / 2);
        o.flush();
        String answer = new String(inFlight.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
        assertTrue(answer.contains("connection: close"), "the last response closes: " + answer);
        assertTrue(answer.contains("\"frames\""), answer);
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
      assertEquals(143, p.exitValue(), "stopped by SIGTERM");
    } finally {
      p.destroyForcibly();
    }
  }
}
