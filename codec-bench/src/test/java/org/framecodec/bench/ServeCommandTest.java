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
  void badOptionsAreUsageErrorsNamingTheOption() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
    java.io.PrintStream e = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--tls-cert", "c.pem", "--port", "0"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--tls-cert and --tls-key go together"), err.toString());
    err.reset();
    assertEquals(2, FrameCodecCli.run(new String[] {"serve", "--port", "x"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("'x'"), err.toString());
    err.reset();
    assertEquals(0, FrameCodecCli.run(new String[] {"serve", "--help"}, o, e));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--token-file") && help.contains("--client-ca") && help.contains("127.0.0.1"), help);
    ServeCommand.Settings s = new ServeCommand.Settings(Path.of("m.onnx"), "127.0.0.1", 8000, null, null,
        null, null, null, 32);
    assertEquals(8000, s.port());
    assertThrows(IllegalArgumentException.class, () -> new ServeCommand.Settings(Path.of("m.onnx"), "h", 70000,
        null, null, null, null, null, 1));
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
