package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.framecodec.bench.FrameCodecCliTest.Result;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.ImageFiles;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeCommandTest {
  @TempDir static Path tmp;
  static Path png;

  @BeforeAll
  static void frame() throws Exception {
    png = tmp.resolve("in.png");
    ImageFiles.writePng(BenchImages.bundled().crop(600, 200, 160, 120), png);
  }

  @Test
  void theOutputExtensionChoosesTheFraming() throws Exception {
    Map<String, Framing> expected = Map.of("a.jpg", Framing.JPEG, "b.JPEG", Framing.JPEG, "c.json", Framing.JSON,
        "d.b64", Framing.BASE64, "e.fcr", Framing.RAW, "f.bin", Framing.RAW);
    for (var e : expected.entrySet()) {
      Path out = tmp.resolve(e.getKey());
      Result r = FrameCodecCliTest.cli("encode", "--quality=75", "--mode=ycbcr", png.toString(), out.toString());
      assertEquals(0, r.code(), e.getKey() + ": " + r.err());
      byte[] body = Files.readAllBytes(out);
      WireMessage m = new WireReader(org.framecodec.Limits.defaults(), JpegMode.YCBCR).read(body);
      assertEquals(e.getValue(), m.framing(), e.getKey());
      EncodedFrame f = m.single();
      assertEquals(160, f.width(), e.getKey());
      assertEquals(120, f.height(), e.getKey());
      assertEquals(JpegMode.YCBCR, f.mode(), e.getKey());
      assertTrue(r.out().startsWith(out + ": " + e.getValue().name().toLowerCase(java.util.Locale.ROOT) + " "),
          r.out());
    }
    // The bare JPEG is the very payload the envelope carries.
    byte[] jpeg = Files.readAllBytes(tmp.resolve("a.jpg"));
    assertArrayEquals(jpeg, new WireReader().read(Files.readAllBytes(tmp.resolve("c.json"))).single().payloadCopy());
  }

  @Test
  void aFramingThatContradictsTheExtensionIsAUsageErrorNamingBoth() {
    Path out = tmp.resolve("contradiction.jpg");
    Result r = FrameCodecCliTest.cli("encode", "--quality", "80", "--framing", "json", png.toString(), out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("framecodec encode: --framing json contradicts OUT " + out
        + ", whose extension means jpeg"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aFramingThatAgreesWithTheExtensionIsFine() {
    Result r = FrameCodecCliTest.cli("encode", "--quality=80", "--framing=raw", png.toString(),
        tmp.resolve("agree.fcr").toString());
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void anUnknownExtensionNeedsAnExplicitFraming() throws Exception {
    Path dat = tmp.resolve("payload.dat");
    Result r = FrameCodecCliTest.cli("encode", "--quality=80", png.toString(), dat.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("framecodec encode: cannot tell the framing from OUT " + dat
        + "; name it .jpg/.jpeg, .json, .b64, .fcr or .bin, or pass --framing"), r.err());
    assertFalse(Files.exists(dat));

    Result explicit = FrameCodecCliTest.cli("encode", "--quality=80", "--framing=base64", png.toString(),
        dat.toString());
    assertEquals(0, explicit.code(), explicit.err());
    assertEquals(Framing.BASE64, new WireReader().read(Files.readAllBytes(dat)).framing());
  }

  @Test
  void streamAndTimestampGoIntoTheEnvelope() throws Exception {
    Path json = tmp.resolve("tagged.json");
    Result r = FrameCodecCliTest.cli("encode", "--quality=80", "--stream=cam-7", "--timestamp-us=123456",
        png.toString(), json.toString());
    assertEquals(0, r.code(), r.err());
    EncodedFrame f = new WireReader().read(Files.readAllBytes(json)).single();
    assertEquals("cam-7", f.streamId().orElseThrow());
    assertEquals(123456L, f.timestampMicros().orElseThrow());
    assertEquals(80, f.quality().orElseThrow());
  }
}
