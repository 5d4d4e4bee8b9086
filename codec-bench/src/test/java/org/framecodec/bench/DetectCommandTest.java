package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertUsage(run("--model", MODEL), "Missing required parameter: 'INPUT'");
    assertUsage(run("--model", MODEL, "--head", "ssd", IMAGE), "unknown head 'ssd'; expected blazeface or yolov5");
    assertUsage(run("--model", MODEL, "--device", "tpu", IMAGE), "unknown device 'tpu'");
    assertUsage(run("--model", MODEL, "--gpu-decode", "warp", IMAGE),
        "unknown GPU decode 'warp'; expected auto, off, hardware, gpu-hybrid or hybrid");
    assertUsage(run("--model", MODEL, "--gpu-streams", "0", IMAGE), "GPU decode streams must be 1..8, got 0");
    assertUsage(run("--model", MODEL, "--gpu-block", "0", IMAGE), "GPU decode block must be 1..4096 payloads, got 0");
    assertUsage(run("--model", MODEL, "--model-instances", "9", IMAGE),
        "model instances must be 1..8, or 0 for automatic, got 9");
    assertUsage(run("--model", MODEL, "--score=2", IMAGE), "score threshold must be in [0, 1], got 2.0");
    assertUsage(run("--model", MODEL, "--frobnicate", IMAGE), "Unknown option: '--frobnicate'");
    assertUsage(run("--model"), "Missing required parameter for option '--model'");

    assertFailure(run("--model", ROOT + "/no/such.onnx", IMAGE), "model file " + ROOT + "/no/such.onnx does not exist");
    assertFailure(run("--model", MODEL, ROOT + "/no/such.png"), "input " + ROOT + "/no/such.png does not exist or is not a file");
    assertFailure(run("--model", MODEL, MODEL), "cannot read image " + MODEL);
    assertFailure(run("--model", MODEL, "--head", "yolov5", IMAGE), "the yolov5 head expects exactly one output");
  }

  /**
   * The same face as a payload in every framing, and in a batch, gives the image's detections
   * (within the scaled path's bound), one line per frame, in input order.
   */
  @Test
  void payloadFilesOfEveryFramingRunThroughTheDetector(@TempDir Path dir) throws Exception {
    Frame face = ImageFiles.read(Path.of(IMAGE));
    EncodedFrame recipe;
    EncodedFrame standard;
    EncodedFrame gray;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      recipe = codec.encodeFrame(face, EncodeOptions.cv2Yuv(80));
      standard = codec.encodeFrame(face, EncodeOptions.ycbcr(80, Subsampling.S420));
      gray = codec.encodeFrame(face, EncodeOptions.gray(80));
    }
    WireWriter writer = new WireWriter();
    Path jpg = Files.write(dir.resolve("standard.jpg"), standard.payloadCopy());
    Path grayJpg = Files.write(dir.resolve("gray.jpg"), gray.payloadCopy());
    Path b64 = Files.write(dir.resolve("recipe.b64"), writer.write(Framing.BASE64, recipe));
    Path json = Files.write(dir.resolve("recipe.json"), writer.write(Framing.JSON, recipe));
    Path batch = Files.write(dir.resolve("batch.fcr"), writer.writeBatch(Framing.RAW, List.of(recipe, standard)));
    Result r = run("--model", MODEL, "--device", "cpu", "--threads", "2", IMAGE, jpg.toString(),
        grayJpg.toString(), b64.toString(), json.toString(), batch.toString());
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(7, lines.length, r.out());
    String[] files = {IMAGE, jpg.toString(), grayJpg.toString(), b64.toString(), json.toString(),
        batch.toString(), batch.toString()};
    for (int i = 0; i < lines.length; i++) {
      assertTrue(lines[i].startsWith("{\"file\":\"" + files[i] + "\","), lines[i]);
      assertTrue(lines[i].contains("\"width\":512,\"height\":512"), lines[i]);
      // One face: about 0.92 in colour, 0.85 in the gray copy.
      assertEquals(1, count(lines[i], "\"score\":0." + (i == 2 ? "8" : "9")), "one face: " + lines[i]);
    }
    assertTrue(lines[5].contains("\"index\":0") && lines[6].contains("\"index\":1"), r.out());
    assertTrue(!lines[0].contains("\"index\""), "a single-frame file has no index");

    // A bare JPEG read as the peer's recipe (wrong here) still runs: the mode is the caller's call.
    Result asRecipe = run("--model", MODEL, "--device", "cpu", "--mode", "cv2-yuv", jpg.toString());
    assertEquals(0, asRecipe.status(), asRecipe.err());
    // On one thread the lines are the same.
    Result serial = run("--model", MODEL, "--device", "cpu", "--threads", "0", IMAGE, jpg.toString(),
        grayJpg.toString(), b64.toString(), json.toString(), batch.toString());
    assertEquals(r.out(), serial.out());
    // Two copies of the network and the GPU knobs (nvJPEG is off on a CPU model) change nothing
    // in what is found.
    Result tuned = run("--model", MODEL, "--device", "cpu", "--threads", "2", "--model-instances", "2",
        "--gpu-decode", "off", "--gpu-streams", "1", "--gpu-block", "16", IMAGE, jpg.toString(), grayJpg.toString(),
        b64.toString(), json.toString(), batch.toString());
    assertEquals(0, tuned.status(), tuned.err());
    assertEquals(r.out(), tuned.out());
    // A damaged payload file names itself.
    Path bad = Files.write(dir.resolve("bad.fcr"), new byte[] {(byte) 0x89, 'F', 'C', 'R', 1});
    assertFailure(run("--model", MODEL, bad.toString()), bad + ": raw container is truncated");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
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
