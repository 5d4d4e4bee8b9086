package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DetectCommandTest {
  static final String ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize().toString();
  static final String MODEL = ROOT + "/codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx";
  static final String IMAGE = ROOT + "/codec-core/src/test/resources/org/framecodec/detect/astronaut-512.png";

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] line = new String[args.length + 1];
    line[0] = "detect";
    System.arraycopy(args, 0, line, 1, args.length);
    int status = FrameCodecCli.run(line, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsOneJsonObjectPerImage() {
    Result r = run("--model", MODEL, "--device", "cpu", IMAGE, IMAGE);
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length, r.out());
    String line = lines[0];
    assertTrue(line.startsWith("{\"file\":\"" + IMAGE + "\",\"width\":512,\"height\":512,"
        + "\"backend\":\"opencv\",\"target\":\"cpu\",\"detections\":[{\"box\":[178.7,82.3,271.14,174.75],"
        + "\"score\":0.9208,\"class\":0,\"keypoints\":[[206.79,100.49],"), line);
    assertTrue(line.endsWith("]]}]}"), line);
    assertEquals(lines[0], lines[1]);
  }

  @Test
  void withoutAModelTheBundledBlazeFaceRuns() {
    Result bundled = run("--device=cpu", IMAGE);
    assertEquals(0, bundled.status(), bundled.err());
    assertEquals(run("--model", MODEL, "--device", "cpu", IMAGE).out(), bundled.out());
  }

  @Test
  void autoOnACpuMachineSaysWhyItIsNotOnTheGpu() {
    Result r = run("--model", MODEL, IMAGE);
    assertEquals(0, r.status(), r.err());
    if (r.out().contains("\"target\":\"cpu\"")) {
      assertTrue(r.out().contains("\"fallback\":\""), r.out());
    }
  }

  @Test
  void badInputGivesOneLineAndNonZeroStatus() {
    assertUsage(run("--model", MODEL), "Missing required parameter: 'IMAGE'");
    assertUsage(run("--model", MODEL, "--head", "ssd", IMAGE), "unknown head 'ssd'; expected blazeface or yolov5");
    assertUsage(run("--model", MODEL, "--device", "tpu", IMAGE), "unknown device 'tpu'");
    assertUsage(run("--model", MODEL, "--score=2", IMAGE), "score threshold must be in [0, 1], got 2.0");
    assertUsage(run("--model", MODEL, "--frobnicate", IMAGE), "Unknown option: '--frobnicate'");
    assertUsage(run("--model"), "Missing required parameter for option '--model'");

    assertFailure(run("--model", ROOT + "/no/such.onnx", IMAGE), "model file " + ROOT + "/no/such.onnx does not exist");
    assertFailure(run("--model", MODEL, ROOT + "/no/such.png"), "image " + ROOT + "/no/such.png does not exist or is not a file");
    assertFailure(run("--model", MODEL, MODEL), "cannot read image " + MODEL);
    assertFailure(run("--model", MODEL, "--head", "yolov5", IMAGE), "the yolov5 head expects exactly one output");
  }

  static void assertUsage(Result r, String message) {
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().startsWith("framecodec detect: "), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertEquals("", r.out());
  }

  static void assertFailure(Result r, String message) {
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("framecodec detect: " + message), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
  }
}
