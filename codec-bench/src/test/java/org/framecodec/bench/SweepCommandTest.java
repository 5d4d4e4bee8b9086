package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.framecodec.bench.SweepCommand.Agreement;
import org.framecodec.bench.SweepCommand.Row;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  @Test
  void smallSweepWritesTheCsvTheChartsAndTheChoices(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = FrameCodecCli.run(new String[] {"sweep", "--qualities", "80,10,1", "--reps", "1", "--out",
        dir.toString(), "--model", DetectCommandTest.MODEL, "--faces", DetectCommandTest.IMAGE},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed + err);

    List<String> csv = Files.readAllLines(dir.resolve("sweep.csv"));
    assertEquals(SweepCommand.CSV_HEADER, csv.get(0));
    assertEquals(List.of("mode", "quality", "bytes", "base64_bytes", "encode_ms", "decode_ms", "psnr_db", "ssim",
        "face_set_bytes", "reference_boxes", "found_boxes", "matched_boxes", "recall", "precision", "agreement_f1",
        "mean_iou", "mean_score_change"), Arrays.asList(csv.get(0).split(",")));
    assertEquals(1 + 3 * 4, csv.size(), String.join("\n", csv));
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",", -1);
      assertEquals(17, f.length, line);
      assertTrue(List.of("cv2-yuv", "ycbcr-420", "ycbcr-444", "gray").contains(f[0]), line);
      int bytes = Integer.parseInt(f[2]);
      assertEquals(4 * ((bytes + 2) / 3), Integer.parseInt(f[3]), line);
      double ssim = Double.parseDouble(f[7]);
      assertTrue(ssim > 0 && ssim < 1, line);
      assertEquals(10, Integer.parseInt(f[9]), "reference boxes over the 9-image face set: " + line);
    }
    // Qualities are sorted, and bytes grow with quality within a mode.
    assertTrue(csv.get(1).startsWith("cv2-yuv,1,") && csv.get(3).startsWith("cv2-yuv,80,"), csv.toString());
    assertTrue(Integer.parseInt(csv.get(4).split(",")[2]) < Integer.parseInt(csv.get(6).split(",")[2]));
    // Standard JPEG at q80 keeps every face box (as the detector tests show for the astronaut).
    String ycbcr80 = csv.stream().filter(l -> l.startsWith("ycbcr-420,80,")).findFirst().orElseThrow();
    assertEquals("1.0000", ycbcr80.split(",")[14], ycbcr80);

    for (String chart : List.of("bytes-vs-quality.png", "psnr-vs-bytes.png", "detection-vs-bytes.png")) {
      byte[] png = Files.readAllBytes(dir.resolve(chart));
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), chart);
      BufferedImage img = ImageIO.read(dir.resolve(chart).toFile());
      assertNotNull(img, chart);
      assertEquals(900, img.getWidth(), chart);
      assertEquals(560, img.getHeight(), chart);
    }

    assertTrue(printed.contains("fewest bytes at >= 99% detection agreement: "), printed);
    assertTrue(printed.contains("fewest bytes at PSNR >= 35.0 dB (colour modes): "), printed);
    assertTrue(printed.contains("fewest bytes at both (colour modes): "), printed);
    assertTrue(printed.contains("detection on 9 face images"), printed);
    // The detection choice is the smallest row of the CSV whose mode agrees from there upward.
    int best = Integer.MAX_VALUE;
    String bestLabel = null;
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      boolean upward = csv.subList(1, csv.size()).stream().map(l -> l.split(","))
          .filter(o -> o[0].equals(f[0]) && Integer.parseInt(o[1]) >= Integer.parseInt(f[1]))
          .allMatch(o -> Double.parseDouble(o[14]) >= 0.99);
      if (upward && Integer.parseInt(f[2]) < best) {
        best = Integer.parseInt(f[2]);
        bestLabel = f[0] + " q" + f[1];
      }
    }
    assertNotNull(bestLabel, String.join("\n", csv));
    assertTrue(printed.contains("detection agreement: " + bestLabel + ", " + String.format("%,d", best) + " B"),
        printed);
    String progress = err.toString(StandardCharsets.UTF_8);
    assertTrue(progress.contains("framecodec sweep: 12/12 gray q80: "), "progress on stderr, a line a step: " + progress);
    assertEquals(13, progress.lines().count(), progress);
  }

  @Test
  void choicesTakeTheFewestBytesThatQualify() {
    Agreement all = new Agreement(2, 2, 2, 1.8, 0);
    Agreement half = new Agreement(2, 1, 1, 0.9, 0);
    List<Row> rows = List.of(
        new Row("cv2-yuv", 5, 100, 136, 1, 1, 25, 0.5, 0, half),
        new Row("ycbcr-420", 5, 200, 268, 1, 1, 30, 0.8, 0, all),
        new Row("ycbcr-420", 80, 400, 536, 1, 1, 36, 0.97, 0, all),
        new Row("gray", 80, 300, 400, 1, 1, 37, 0.97, 0, all));
    SweepCommand.Choices c = SweepCommand.choose(rows, 35);
    // A cheap lucky point does not count when a higher quality of its mode misses the bar.
    List<Row> lucky = new java.util.ArrayList<>(rows);
    lucky.add(new Row("ycbcr-420", 2, 150, 200, 1, 1, 28, 0.7, 0, all));
    lucky.add(new Row("ycbcr-420", 3, 160, 216, 1, 1, 29, 0.7, 0, half));
    assertEquals("ycbcr-420 q5", SweepCommand.choose(lucky, 35).detection().orElseThrow().label());
    assertEquals("ycbcr-420 q5", c.detection().orElseThrow().label());
    assertEquals("ycbcr-420 q80", c.psnr().orElseThrow().label());
    assertEquals("ycbcr-420 q80", c.both().orElseThrow().label());
    assertEquals("gray q80", c.grayPsnr().orElseThrow().label());
    assertEquals(Optional.empty(), SweepCommand.choose(rows, 50).psnr());
    assertTrue(SweepCommand.choiceLine("x", Optional.empty()).endsWith("none of the settings qualifies"));
  }

  @Test
  void matchingIsOneToOneAtIou05() {
    Detection a = new Detection(new Box(0, 0, 10, 10), 0.9f, 0);
    Detection b = new Detection(new Box(100, 100, 110, 110), 0.8f, 0);
    Detection aShifted = new Detection(new Box(1, 0, 11, 10), 0.7f, 0); // IoU 90/110
    Detection aFar = new Detection(new Box(6, 0, 16, 10), 0.9f, 0); // IoU 40/160
    Agreement m = SweepCommand.match(List.of(a, b), List.of(aShifted, aShifted, aFar), 0.5f);
    assertEquals(1, m.matched());
    assertEquals(0.5, m.recall(), 1e-9);
    assertEquals(1.0 / 3, m.precision(), 1e-9);
    assertEquals(2 * 0.5 / 3 / (0.5 + 1.0 / 3), m.f1(), 1e-9);
    assertEquals(90.0 / 110, m.meanIou(), 1e-6);
    assertEquals(0.7 - 0.9, m.meanScoreChange(), 1e-6);
    Agreement none = SweepCommand.match(List.of(), List.of(), 0.5f);
    assertEquals(1.0, none.f1());
    assertTrue(Double.isNaN(none.meanIou()));
  }

  @Test
  void badOptionsNameTheBadValue() {
    assertFails(2, "framecodec sweep: --qualities must be within 1..100, got 0", "--qualities", "10,0");
    assertFails(2, "framecodec sweep: Invalid value for option '--qualities' (Q): 'high' is not an int",
        "--qualities=10,high");
    assertFails(2, "framecodec sweep: Invalid value for option '--psnr-floor': 'high' is not a double",
        "--psnr-floor", "high");
    assertFails(1, "framecodec sweep: --model file /no/such.onnx does not exist", "--model", "/no/such.onnx");
  }

  private static void assertFails(int status, String message, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    String[] line = new String[args.length + 1];
    line[0] = "sweep";
    System.arraycopy(args, 0, line, 1, args.length);
    assertEquals(status, FrameCodecCli.run(line, sink, new PrintStream(err, true, StandardCharsets.UTF_8)));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith(message), text);
    assertEquals(1, text.strip().lines().count(), text);
  }
}
