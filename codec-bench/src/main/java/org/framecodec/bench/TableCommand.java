package org.framecodec.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.wire.Base64Codec;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.JsonEnvelope;
import org.framecodec.wire.RawContainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code framecodec table}: the source document's size table, reproduced on a 1080p frame.
 *
 * <p>For every row of the document (the uint8 array; "RGB" = OpenCV's standard JPEG of the BGR
 * frame, 4:2:0; "YUV" = the cv2-yuv recipe) it prints our payload size next to the document's,
 * and what the payload costs on the wire as base64, in our JSON envelope, as latin1 text in JSON
 * (UTF-8 on the wire) and in our raw container; then checks each of the document's claims with
 * our ratio. Sizes are deterministic, so this is a plain program. The document's figures are
 * Python {@code sys.getsizeof} values of a different frame, so they include about 112 bytes of
 * object header and are compared as ratios, not bytes.
 */
@Command(name = "table", description = "The source document's size table, reproduced on a 1080p frame, with"
    + " the wire sizes of each framing and the document's claims checked.")
final class TableCommand implements Callable<Integer> {
  /** One row of the source document's table. */
  record DocRow(String format, JpegMode mode, int quality, long bytes) {}

  static final List<DocRow> DOCUMENT = List.of(
      new DocRow("uint8 ndarray", null, 0, 6_220_936),
      new DocRow("RGB", JpegMode.YCBCR, 100, 782_868),
      new DocRow("YUV", JpegMode.CV2_YUV, 100, 666_916),
      new DocRow("RGB", JpegMode.YCBCR, 90, 307_097),
      new DocRow("RGB", JpegMode.YCBCR, 80, 214_171),
      new DocRow("RGB", JpegMode.YCBCR, 70, 176_421),
      new DocRow("RGB", JpegMode.YCBCR, 60, 152_427),
      new DocRow("RGB", JpegMode.YCBCR, 50, 137_314),
      new DocRow("YUV", JpegMode.CV2_YUV, 50, 68_609),
      new DocRow("YUV", JpegMode.CV2_YUV, 80, 113_153),
      new DocRow("YUV", JpegMode.CV2_YUV, 90, 172_366));

  /** Our measurement of one row. */
  record Row(DocRow doc, long bytes, long base64, long json, long latin1Json, long raw) {}

  @Spec CommandSpec spec;

  @Mixin FrameArgument frame;

  @Option(names = "--csv", description = "Print CSV instead of Markdown tables.")
  boolean csv;

  @Override
  public Integer call() throws IOException {
    Frame f = frame.load();
    List<Row> rows = measure(f);
    PrintWriter out = spec.commandLine().getOut();
    if (csv) {
      printCsv(rows, out);
    } else {
      printMarkdown(f, frame.label(), rows, out);
    }
    return 0;
  }

  static List<Row> measure(Frame frame) throws IOException {
    JsonEnvelope json = new JsonEnvelope();
    RawContainer raw = new RawContainer();
    List<Row> rows = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (DocRow d : DOCUMENT) {
        if (d.mode() == null) {
          byte[] pixels = frame.toByteArray();
          rows.add(new Row(d, pixels.length, Base64Codec.encodedLength(pixels.length), -1,
              latin1JsonSize(pixels), -1));
          continue;
        }
        EncodedFrame f = codec.encodeFrame(frame, EncodeOptions.of(d.mode(), d.quality(), Subsampling.S420));
        int n = f.payloadLength();
        rows.add(new Row(d, n, Base64Codec.encodedLength(n), json.toBytes(f).length, latin1JsonSize(f.payloadCopy()),
            raw.encodedSize(f)));
      }
    }
    return rows;
  }

  /**
   * Bytes of {@code {"data":"<payload as latin1 text>"}} in UTF-8: each byte becomes the code
   * point of the same value, so bytes >= 0x80 take two UTF-8 bytes and control characters,
   * quotes and backslashes are escaped, as JSON requires.
   */
  static long latin1JsonSize(byte[] payload) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream(payload.length * 2);
    try (JsonGenerator g = new JsonFactory().createGenerator(sink)) {
      g.writeStartObject();
      g.writeStringField("data", new String(payload, StandardCharsets.ISO_8859_1));
      g.writeEndObject();
    }
    return sink.size();
  }

  private static void printMarkdown(Frame frame, String name, List<Row> rows, PrintWriter out) {
    out.printf("Source document's table reproduced on %s (%dx%d). Document bytes are Python sys.getsizeof"
        + " of another frame (~112 B header included).%n%n", name, frame.width(), frame.height());
    out.println("| format | quality | document bytes | our bytes | ours / document | base64 | JSON envelope | latin1 in JSON (UTF-8) | raw container |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s | %s | %,d | %,d | %.2f | %,d | %s | %,d | %s |%n", r.doc().format(),
          r.doc().mode() == null ? "-" : String.valueOf(r.doc().quality()), r.doc().bytes(), r.bytes(),
          (double) r.bytes() / r.doc().bytes(), r.base64(), r.json() < 0 ? "-" : String.format("%,d", r.json()),
          r.latin1Json(), r.raw() < 0 ? "-" : String.format("%,d", r.raw()));
    }
    out.println();
    out.println("| document's claim | document's ratio | our ratio | holds here |");
    out.println("|---|---|---|---|");
    for (Claim c : claims(rows)) {
      out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", c.text(), c.document(), c.ours(), c.holds() ? "yes" : "no");
    }
  }

  private static void printCsv(List<Row> rows, PrintWriter out) {
    out.println("format,mode,quality,document_bytes,our_bytes,base64_bytes,json_envelope_bytes,latin1_json_bytes,raw_container_bytes");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%s,%d,%s%n", r.doc().format(),
          r.doc().mode() == null ? "" : r.doc().mode().wireName(),
          r.doc().mode() == null ? "" : String.valueOf(r.doc().quality()), r.doc().bytes(), r.bytes(),
          r.base64(), r.json() < 0 ? "" : String.valueOf(r.json()), r.latin1Json(),
          r.raw() < 0 ? "" : String.valueOf(r.raw()));
    }
  }

  /** One of the document's claims with both ratios. */
  record Claim(String text, String document, String ours, boolean holds) {}

  static List<Claim> claims(List<Row> rows) {
    Row rawRow = find(rows, null, 0);
    List<Claim> out = new ArrayList<>();
    double docJpeg = (double) DOCUMENT.get(0).bytes() / find(rows, JpegMode.YCBCR, 90).doc().bytes();
    double ourJpeg = (double) rawRow.bytes() / find(rows, JpegMode.YCBCR, 90).bytes();
    out.add(new Claim("JPEG cuts an order of magnitude (raw / RGB q90)", fmt(docJpeg) + "x", fmt(ourJpeg) + "x",
        ourJpeg >= 10));
    for (int q : new int[] {100, 90, 80, 50}) {
      Row yuv = find(rows, JpegMode.CV2_YUV, q);
      Row rgb = find(rows, JpegMode.YCBCR, q);
      double doc = (double) yuv.doc().bytes() / rgb.doc().bytes();
      double ours = (double) yuv.bytes() / rgb.bytes();
      out.add(new Claim("YUV ~10% smaller than RGB at q" + q + " (YUV / RGB)", fmt(doc), fmt(ours), ours <= 0.95));
    }
    Row yuv50 = find(rows, JpegMode.CV2_YUV, 50);
    double doc100 = (double) DOCUMENT.get(0).bytes() / yuv50.doc().bytes();
    double our100 = (double) rawRow.bytes() / yuv50.bytes();
    out.add(new Claim("YUV q50 ~100x smaller than raw (raw / YUV q50)", fmt(doc100) + "x", fmt(our100) + "x",
        our100 >= 70));
    double ourB64 = (double) yuv50.base64() / yuv50.bytes();
    out.add(new Claim("base64 adds ~33% (base64 / payload, YUV q50)", fmt(91_389.0 / 68_578) + " (its example)",
        fmt(ourB64), Math.abs(ourB64 - 4.0 / 3) < 0.01));
    double latin1 = (double) yuv50.latin1Json() / yuv50.bytes();
    out.add(new Claim("latin1 instead of base64 (suggested, not measured): latin1 JSON / payload, YUV q50",
        "not measured", fmt(latin1), latin1 < ourB64));
    double rawC = (double) yuv50.raw() / yuv50.bytes();
    out.add(new Claim("raw bytes instead of base64 (suggested, not measured): raw container / payload, YUV q50",
        "not measured", fmt(rawC), rawC < ourB64));
    return out;
  }

  private static Row find(List<Row> rows, JpegMode mode, int quality) {
    for (Row r : rows) {
      if (r.doc().mode() == mode && (mode == null || r.doc().quality() == quality)) {
        return r;
      }
    }
    throw new IllegalStateException("no row " + mode + " q" + quality);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
