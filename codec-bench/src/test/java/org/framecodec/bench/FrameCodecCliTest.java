package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.frames.Frame;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameCodecCliTest {
  @TempDir static Path tmp;
  static Path png;
  static Frame original;

  /** Exit code, stdout and stderr of one invocation. */
  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = FrameCodecCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void frame() throws Exception {
    original = BenchImages.bundled().crop(400, 300, 320, 240);
    png = tmp.resolve("in.png");
    ImageFiles.writePng(original, png);
  }

  @Test
  void encodeThenDecodeRoundTripsInEveryFraming() throws Exception {
    for (String framing : new String[] {"json", "base64", "raw", "jpeg"}) {
      Path payload = tmp.resolve("p." + framing);
      Path back = tmp.resolve("back-" + framing + ".npy");
      Result enc = cli("encode", "--mode", "ycbcr", "--quality", "90", "--subsampling", "444", "--framing", framing,
          png.toString(), payload.toString());
      assertEquals(0, enc.code(), enc.err());
      Result dec = cli("decode", "--mode", "ycbcr", payload.toString(), back.toString());
      assertEquals(0, dec.code(), dec.err());
      Frame decoded = Npy.read(back);
      double psnr = FrameMetrics.psnr(Frame.wrap(original.toByteArray(), original.format(), 320, 240), decoded);
      assertTrue(psnr > 33, framing + ": PSNR " + psnr);
    }
  }

  @Test
  void npyInputAndCv2YuvJsonWork() throws Exception {
    Path npy = tmp.resolve("in.npy");
    Npy.write(original, npy);
    Path json = tmp.resolve("f.json");
    assertEquals(0, cli("encode", "--mode", "cv2-yuv", "--quality", "80", "--framing", "json",
        npy.toString(), json.toString()).code());
    String text = Files.readString(json);
    assertTrue(text.contains("\"mode\":\"cv2-yuv\"") && text.contains("[240,320,3]"), text.substring(0, 60));
    Path out = tmp.resolve("f.png");
    Result dec = cli("decode", json.toString(), out.toString());
    assertEquals(0, dec.code(), dec.err());
    assertTrue(FrameMetrics.psnr(Frame.wrap(original.toByteArray(), original.format(), 320, 240),
        ImageFiles.read(out)) > 25);
  }

  @Test
  void badInputExitsNonZeroWithOneLine() throws Exception {
    Path garbage = tmp.resolve("garbage.json");
    Files.writeString(garbage, "{\"shape\":[10,10,3],\"mode\":\"cv2-yuv\"");
    Path truncated = tmp.resolve("trunc.jpg");
    Path good = tmp.resolve("good.jpg");
    assertEquals(0, cli("encode", "--mode", "ycbcr", "--quality", "80", png.toString(), good.toString()).code());
    byte[] jpeg = Files.readAllBytes(good);
    Files.write(truncated, java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    String[][] bad = {
        {"decode", garbage.toString(), tmp.resolve("x.png").toString()},
        {"decode", "--mode", "ycbcr", truncated.toString(), tmp.resolve("x.png").toString()},
        {"decode", tmp.resolve("missing.json").toString(), tmp.resolve("x.png").toString()},
        {"encode", "--quality", "80", garbage.toString(), tmp.resolve("x.json").toString()},
    };
    for (String[] args : bad) {
      Result r = cli(args);
      assertEquals(1, r.code(), String.join(" ", args) + " -> " + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line expected: " + r.err());
      assertTrue(r.err().startsWith("framecodec " + args[0] + ": "), r.err());
    }
    String[][] usage = {
        {"encode", "--quality", "101", png.toString(), tmp.resolve("x.json").toString()},
        {"encode", "--quality=80", "--mode=jpeg2000", png.toString(), tmp.resolve("x.json").toString()},
        {"encode", png.toString()},
        {"encode", "--quality"},
        {"decode", png.toString(), tmp.resolve("x.bmp").toString()},
        {"frobnicate"},
        {},
    };
    for (String[] args : usage) {
      Result r = cli(args);
      assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line expected: " + r.err());
      assertTrue(r.err().startsWith(args.length > 0 && !args[0].equals("frobnicate") ? "framecodec " + args[0] + ": "
          : "framecodec: "), r.err());
      assertEquals("", r.out());
    }
    assertTrue(cli("encode", "--quality=80", "--mode=jpeg2000", png.toString(), "x.json").err()
        .contains("unknown JPEG mode 'jpeg2000'; expected cv2-yuv, ycbcr or gray"));
  }

  @Test
  void tableReproducesEveryDocumentRowAndChecksTheClaims() {
    Result r = cli("table");
    assertEquals(0, r.code(), r.err());
    for (String row : new String[] {"| uint8 ndarray | - | 6,220,936 | 6,220,800 |", "| RGB | 100 | 782,868 |",
        "| YUV | 50 | 68,609 |", "| YUV | 90 | 172,366 |"}) {
      assertTrue(r.out().contains(row), "missing " + row);
    }
    assertTrue(r.out().contains("| base64 adds ~33% (base64 / payload, YUV q50) | 1.33 (its example) | 1.33 | yes |"));
    Result csv = cli("table", "--csv", "--frame=" + png);
    assertTrue(csv.out().contains(",6220936,230400,"), "the 320x240 frame's raw bytes: " + csv.out());
    assertEquals(12, csv.out().strip().lines().count(), csv.out());
  }
}
