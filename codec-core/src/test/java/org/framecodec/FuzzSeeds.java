package org.framecodec;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.codec.UnusualSubsampling;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Keypoint;
import org.framecodec.frames.Frame;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.Base64Codec;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.JsonEnvelope;
import org.framecodec.transport.DetectionsJson;
import org.framecodec.wire.RawContainer;

/**
 * Writes the fuzz seed corpora under {@code src/test/resources}: small real payloads of every
 * kind the decoders take, so the fuzzers start from valid input and mutate inward. Not a test;
 * run it after changing a format, from {@code codec-core}:
 * <pre>
 *   mvn -q -o test-compile exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=org.framecodec.FuzzSeeds -Dexec.args=src/test/resources
 * </pre>
 * Seeds are kept to a few KB each (frames of at most 64x48) so a fuzz run reads them in
 * milliseconds and the repository stays small. The output is deterministic.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources");
    Map<String, byte[]> jpegs = jpegs();
    Path codec = root.resolve("org/framecodec/codec/JpegDecodeFuzzTestInputs");
    write(codec.resolve("turboJpegDecode"), jpegs);
    write(codec.resolve("openCvDecode"), jpegs);

    Path wire = root.resolve("org/framecodec/wire");
    byte[] small = jpegs.get("cv2yuv-q80-420-33x17.jpg");
    byte[] gray = jpegs.get("gray-q80-33x17.jpg");
    write(wire.resolve("Base64FuzzTestInputs/decodePathsAgree"), base64Seeds(small));
    write(wire.resolve("Base64FuzzTestInputs/encodeThenDecodeIsIdentity"),
        Map.of("jpeg.bin", small, "three.bin", new byte[] {1, 2, 3}, "empty.bin", new byte[0]));

    EncodedFrame full = EncodedFrame.builder().payload(small).size(33, 17).channels(3)
        .mode(JpegMode.CV2_YUV).quality(80).timestampMicros(1_718_000_000_123_456L).streamId("cam-7").build();
    EncodedFrame bare = EncodedFrame.builder().payload(gray).size(33, 17).channels(1).mode(JpegMode.GRAY).build();
    JsonEnvelope json = new JsonEnvelope();
    Map<String, byte[]> jsonSeeds = new LinkedHashMap<>();
    jsonSeeds.put("envelope.json", json.toBytes(full));
    jsonSeeds.put("envelope-minimal.json", json.toBytes(bare));
    jsonSeeds.put("batch.json", json.batchToBytes(List.of(full, bare)));
    jsonSeeds.put("batch-empty.json", ascii("{\"frames\": []}"));
    jsonSeeds.put("bare-string.json", ascii("\"" + Base64Codec.encodeToString(gray) + "\""));
    jsonSeeds.put("nulls-and-extras.json", ascii("{\"x\": {\"y\": [1, [2, {\"z\": null}]]}, \"shape\": [17, 33],"
        + " \"mode\": \"GRAY\", \"quality\": null, \"timestamp_us\": null, \"stream\": null, \"data\": \""
        + Base64Codec.encodeToString(gray) + "\"}"));
    write(wire.resolve("JsonEnvelopeFuzzTestInputs/readAgreesAcrossSourcesAndRoundTrips"), jsonSeeds);

    RawContainer raw = new RawContainer();
    Map<String, byte[]> rawSeeds = new LinkedHashMap<>();
    rawSeeds.put("single.fcr", raw.toBytes(full));
    rawSeeds.put("batch.fcr", raw.toBytes(List.of(full, bare)));
    rawSeeds.put("empty.fcr", raw.toBytes(List.of()));
    write(wire.resolve("RawContainerFuzzTestInputs/readAgreesAcrossSourcesAndRoundTrips"), rawSeeds);

    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("raw.fcr", raw.toBytes(List.of(full, bare)));
    bodies.put("jpeg.jpg", small);
    bodies.put("envelope.json", json.toBytes(full));
    bodies.put("bom-batch.json", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ' '},
        json.batchToBytes(List.of(bare))));
    bodies.put("base64.txt", ascii(Base64Codec.encodeToString(gray)));
    write(wire.resolve("WireReaderFuzzTestInputs/readAgreesAcrossSources"), bodies);

    write(root.resolve("org/framecodec/frames/NpyFuzzTestInputs/readAgreesAcrossSources"), npySeeds());
    write(root.resolve("org/framecodec/transport/DetectionsJsonFuzzTestInputs/readRefusesOrRoundTrips"),
        detectionsSeeds());

    write(root.resolve("org/framecodec/oip/RestRequestFuzzTestInputs/readRefusesOrRoundTrips"),
        org.framecodec.oip.OipFuzzSeeds.restRequests(small, gray));
  }

  /** Inference service answers: what our writer produces, and what a Python service may add. */
  private static Map<String, byte[]> detectionsSeeds() {
    Detection face = new Detection(new Box(178.68f, 82.25f, 271.21f, 174.79f), 0.921f, 0,
        List.of(new Keypoint(206.84f, 100.5f), new Keypoint(251.31f, 109.31f)));
    Detection plain = new Detection(new Box(0f, 0f, 10f, 10f), 0.5f, 3);
    DetectionsJson json = new DetectionsJson();
    Map<String, byte[]> out = new LinkedHashMap<>();
    java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
    json.write(List.of(List.of(face, plain), List.of()), two);
    out.put("two-frames.json", two.toByteArray());
    java.io.ByteArrayOutputStream none = new java.io.ByteArrayOutputStream();
    json.write(List.of(), none);
    out.put("no-frames.json", none.toByteArray());
    out.put("python-extras.json", ascii("{\"model\": \"blazeface\", \"timings\": {\"decode_ms\": 9.1},"
        + " \"frames\": [[{\"box\": [1, 2.5, 3e1, 40], \"score\": 1, \"class\": 0,"
        + " \"keypoints\": null, \"label\": \"face\"}], [], []]}"));
    return out;
  }

  /** Real JPEGs of every mode, subsampling and coding process the backends meet, all tiny. */
  static Map<String, byte[]> jpegs() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Frame odd = CorpusFrames.gradient(33, 17, 1);
    Frame even = CorpusFrames.gradient(64, 48, 2);
    Frame tiny = CorpusFrames.gradient(8, 8, 3);
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      out.put("cv2yuv-q80-420-33x17.jpg", c.encode(odd, EncodeOptions.cv2Yuv(80)));
      out.put("ycbcr-q50-444-33x17.jpg", c.encode(odd, EncodeOptions.ycbcr(50, Subsampling.S444)));
      out.put("ycbcr-q50-422-33x17.jpg", c.encode(odd, EncodeOptions.ycbcr(50, Subsampling.S422)));
      out.put("ycbcr-q30-420-64x48.jpg", c.encode(even, EncodeOptions.ycbcr(30, Subsampling.S420)));
      out.put("gray-q80-33x17.jpg", c.encode(odd, EncodeOptions.gray(80)));
      out.put("cv2yuv-q100-444-8x8.jpg", c.encode(tiny, EncodeOptions.of(JpegMode.CV2_YUV, 100, Subsampling.S444)));
      out.put("ycbcr-q1-420-1x1.jpg", c.encode(CorpusFrames.gradient(1, 1, 4), EncodeOptions.ycbcr(1, Subsampling.S420)));
      Frame i420 = Frame.allocate(PixelFormat.I420, 33, 17);
      new java.util.Random(5).nextBytes(i420.array());
      out.put("i420-q70-33x17.jpg", c.encode(i420, EncodeOptions.ycbcr(70, Subsampling.S420)));
    }
    // 4:4:0 and 4:1:1, which the codecs never write but a peer may send.
    out.put("ycbcr-q60-440-24x16.jpg", UnusualSubsampling.encode(CorpusFrames.gradient(24, 16, 6), UnusualSubsampling.S440));
    out.put("ycbcr-q60-411-32x16.jpg", UnusualSubsampling.encode(CorpusFrames.gradient(32, 16, 7), UnusualSubsampling.S411));
    // Progressive, restart intervals and optimised Huffman tables, from OpenCV's encoder.
    out.put("progressive-q75-32x24.jpg", openCv(CorpusFrames.gradient(32, 24, 8),
        opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
    out.put("restart-q75-32x24.jpg", openCv(CorpusFrames.gradient(32, 24, 9),
        opencv_imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 1));
    out.put("optimized-q75-32x24.jpg", openCv(CorpusFrames.gradient(32, 24, 10),
        opencv_imgcodecs.IMWRITE_JPEG_OPTIMIZE, 1));
    return out;
  }

  private static byte[] openCv(Frame bgr, int flag, int value) {
    try (BytePointer px = new BytePointer(bgr.array());
        Mat m = new Mat(bgr.height(), bgr.width(), CV_8UC3, px);
        IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 75, flag, value);
        BytePointer out = new BytePointer()) {
      if (!opencv_imgcodecs.imencode(".jpg", m, out, params)) {
        throw new IllegalStateException("imencode failed");
      }
      byte[] b = new byte[(int) out.limit()];
      out.get(b);
      return b;
    }
  }

  private static Map<String, byte[]> base64Seeds(byte[] jpeg) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    String b64 = Base64Codec.encodeToString(jpeg);
    out.put("jpeg.txt", ascii(b64));
    StringBuilder wrapped = new StringBuilder();
    for (int i = 0; i < b64.length(); i += 76) {
      wrapped.append(b64, i, Math.min(b64.length(), i + 76)).append('\n');
    }
    out.put("jpeg-wrapped.txt", ascii(wrapped.toString()));
    out.put("junk.txt", ascii(" YW-Jj_ZA\t==\r\n"));
    out.put("pad-stops.txt", ascii("YQ==YWJj"));
    out.put("leftover-bits.txt", ascii("YR=="));
    out.put("pad-between.txt", ascii("YW=J=jZA=="));
    out.put("one-char.txt", ascii("YWJjZ"));
    out.put("no-pad.txt", ascii("YWI"));
    out.put("high-bytes.bin", new byte[] {'Y', (byte) 0xC3, (byte) 0xA9, 'Q', '=', '='});
    return out;
  }

  private static Map<String, byte[]> npySeeds() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Frame gray = Frame.allocate(PixelFormat.GRAY, 4, 3);
    Frame bgr = CorpusFrames.gradient(3, 2, 11);
    for (int i = 0; i < 12; i++) {
      gray.array()[i] = (byte) (i * 20);
    }
    out.put("gray-3x4.npy", Npy.toBytes(gray));
    out.put("bgr-2x3x3.npy", Npy.toBytes(bgr));
    out.put("v2-hw1.npy", npy(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 1), }", 4));
    out.put("v3-utf8.npy", npy(3, "{'descr': '<u1', 'fortran_order': False, 'shape': (1, 2), }", 2));
    out.put("v1-py2-long.npy", npy(1, "{'descr': 'u1', 'fortran_order': False, 'shape': (2L, 1L), }", 2));
    return out;
  }

  /** A .npy file with a hand-written header, padded like numpy's, and n data bytes. */
  private static byte[] npy(int major, String dict, int n) {
    int lengthBytes = major == 1 ? 2 : 4;
    int unpadded = 6 + 2 + lengthBytes + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length() + n).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (lengthBytes == 2) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (int i = 0; i < n; i++) {
      b.put((byte) (i * 31));
    }
    return b.array();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void write(Path dir, Map<String, byte[]> files) {
    try {
      Files.createDirectories(dir);
      List<String> names = new ArrayList<>(files.keySet());
      java.util.Collections.sort(names);
      for (String name : names) {
        Files.write(dir.resolve(name), files.get(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
