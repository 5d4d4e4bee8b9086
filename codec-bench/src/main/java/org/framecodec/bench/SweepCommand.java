package org.framecodec.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.bench.support.Progress;
import org.framecodec.bench.support.RoundTripTiming;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.frames.FaceSet;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Luma;
import org.framecodec.wire.Base64Codec;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec sweep}: what each JPEG quality costs in bytes and time, and what it does to
 * fidelity and to a face detector, for every mode.
 *
 * <pre>
 * framecodec sweep [FRAME] [--faces IMAGE] [--model M.onnx] [--qualities 1,2,5,...]
 *                  [--out DIR] [--psnr-floor DB] [--reps N (default 5)]
 * </pre>
 *
 * <p>For each quality and each mode ({@code cv2-yuv} recipe, {@code ycbcr-420}, {@code
 * ycbcr-444}, {@code gray}) on the TurboJPEG backend:
 *
 * <ul>
 *   <li>on {@code --frame} (the bundled 1080p photograph by default): payload bytes, base64
 *       bytes, median encode and decode time of {@code --reps} runs after one warm-up (single
 *       thread, wall clock, into reused buffers), PSNR over all bytes of the BGR frame (of the
 *       luma for gray, which is all a gray payload carries) and SSIM of the luma ({@link
 *       FrameMetrics#ssim});
 *   <li>on the face set (below): the BlazeFace front detector's boxes on the decoded payloads
 *       against its boxes on the uncompressed images. Boxes are matched one to one, greedily by
 *       IoU, a pair counting when IoU &gt;= 0.5. Recall = matched / reference boxes, precision =
 *       matched / boxes found, both pooled over the set; <b>agreement</b> = their F1; mean IoU
 *       and mean score change (compressed minus uncompressed) are over matched pairs.
 * </ul>
 *
 * <p>The face set is made from one portrait ({@code --faces}, default the project's
 * astronaut-512.png) by {@link FaceSet}; each image is compressed as a payload of its own.
 *
 * <p>Writes {@code sweep.csv} and three PNG charts (one line per mode) to {@code --out}, and
 * prints the setting with the fewest payload bytes (on {@code --frame}) whose agreement is at
 * least 99%, the one with the fewest bytes at the PSNR floor, and the one meeting both; a setting
 * counts only when its mode also meets the bar at every higher quality swept ({@link #choose}). Progress
 * goes to stderr. The default run (24 qualities x 4 modes) takes about two minutes on a 2-core
 * machine, most of it SSIM and the detector.
 */
@Command(name = "sweep", description = "Quality x mode: payload bytes, encode/decode ms, PSNR, SSIM and BlazeFace"
    + " agreement on a face set; writes sweep.csv and three PNG charts, prints the cheapest settings.")
public final class SweepCommand implements Callable<Integer> {
  /** Qualities swept by default: dense at the low end, where size and fidelity change fastest. */
  static final int[] DEFAULT_QUALITIES = {1, 2, 3, 5, 7, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60,
      65, 70, 75, 80, 85, 90, 95, 100};

  /** The modes swept, with the labels used in the CSV and the charts. */
  static final List<Mode> MODES = List.of(
      new Mode("cv2-yuv", EncodeOptions.cv2Yuv(1)),
      new Mode("ycbcr-420", EncodeOptions.ycbcr(1, Subsampling.S420)),
      new Mode("ycbcr-444", EncodeOptions.ycbcr(1, Subsampling.S444)),
      new Mode("gray", EncodeOptions.gray(1)));

  static final double DEFAULT_PSNR_FLOOR = 35.0;
  static final double AGREEMENT_TARGET = 0.99;
  static final float MATCH_IOU = 0.5f;

  static final String CSV_HEADER = "mode,quality,bytes,base64_bytes,encode_ms,decode_ms,psnr_db,ssim,"
      + "face_set_bytes,reference_boxes,found_boxes,matched_boxes,recall,precision,agreement_f1,"
      + "mean_iou,mean_score_change";

  /** A mode of the sweep: its label and options at a placeholder quality. */
  record Mode(String label, EncodeOptions base) {}

  /** Boxes of one compressed setting against the uncompressed reference, pooled over the set. */
  record Agreement(int reference, int found, int matched, double iouSum, double scoreChangeSum) {
    static final Agreement NONE = new Agreement(0, 0, 0, 0, 0);

    Agreement plus(Agreement o) {
      return new Agreement(reference + o.reference, found + o.found, matched + o.matched,
          iouSum + o.iouSum, scoreChangeSum + o.scoreChangeSum);
    }

    /** 1 when there was nothing to find and nothing was found. */
    double recall() {
      return reference == 0 ? 1 : (double) matched / reference;
    }

    double precision() {
      return found == 0 ? (reference == 0 ? 1 : 0) : (double) matched / found;
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double meanIou() {
      return matched == 0 ? Double.NaN : iouSum / matched;
    }

    double meanScoreChange() {
      return matched == 0 ? Double.NaN : scoreChangeSum / matched;
    }
  }

  /** One setting's measurements. */
  record Row(String mode, int quality, int bytes, int base64Bytes, double encodeMs, double decodeMs,
      double psnr, double ssim, long faceSetBytes, Agreement agreement) {
    String label() {
      return mode + " q" + quality;
    }
  }

  /** What the sweep chose. {@code Optional.empty()} when no setting qualifies. */
  record Choices(Optional<Row> detection, Optional<Row> psnr, Optional<Row> both, Optional<Row> grayPsnr) {}

  @Spec CommandSpec spec;

  @Mixin FrameArgument frame;

  @Option(names = "--faces", paramLabel = "IMAGE", description = "Portrait the face set is derived from;"
      + " default: the bundled astronaut-512.png.")
  Path faces;

  @Mixin ModelArgument model;

  @Option(names = "--qualities", split = ",", paramLabel = "Q", description = "Qualities to sweep, 1..100.")
  int[] qualities = DEFAULT_QUALITIES;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder for sweep.csv and the charts.")
  Path outDir = Path.of("sweep-out");

  @Option(names = "--psnr-floor", paramLabel = "DB", description = "PSNR a recommended setting must reach.")
  double floor = DEFAULT_PSNR_FLOOR;

  @Option(names = "--reps", paramLabel = "N", description = "Timed encode/decode runs per setting.")
  int reps = 5;

  @Override
  public Integer call() throws IOException {
    int[] qs = checkedQualities();
    if (reps < 1) {
      throw new ParameterException(spec.commandLine(), "--reps must be at least 1, got " + reps);
    }
    Path modelFile = model.path();
    Path facesFile = BundledFiles.orBundled(faces, BundledFiles.ASTRONAUT, "--faces");
    Files.createDirectories(outDir);

    // Headless: the charts are drawn off-screen, and a server has no display.
    System.setProperty("java.awt.headless", "true");
    Frame f = frame.load();
    List<FaceSet.Scene> faceSet = FaceSet.of(ImageFiles.read(facesFile));
    Progress progress = FrameCodecCli.progress(spec);
    List<Row> rows = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG);
        Detector detector = Detector.open(DetectorOptions.blazeFace(modelFile))) {
      List<Frame> faceFrames = faceSet.stream().map(FaceSet.Scene::frame).toList();
      List<List<Detection>> reference = detector.detect(faceFrames).all();
      int refBoxes = reference.stream().mapToInt(List::size).sum();
      progress.note(String.format(Locale.ROOT, "%d qualities x %d modes; face set %d images, %d reference boxes"
          + " (%s, %s)", qs.length, MODES.size(), faceSet.size(), refBoxes, detector.info().target(),
          facesFile.getFileName()));
      Frame luma = Luma.of(f);
      int total = qs.length * MODES.size();
      for (Mode m : MODES) {
        for (int q : qs) {
          Row r = measure(codec, detector, f, luma, faceSet, reference, m, q);
          rows.add(r);
          progress.step(rows.size(), total, String.format(Locale.ROOT, "%s: %,d B, PSNR %.2f dB, SSIM %.4f,"
              + " agreement %.3f", r.label(), r.bytes(), r.psnr(), r.ssim(), r.agreement().f1()));
        }
      }
      progress.done();
    }

    Path csv = outDir.resolve("sweep.csv");
    writeCsv(rows, csv);
    List<Path> charts = writeCharts(rows, outDir);
    Choices c = choose(rows, floor);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "Sweep of %s (%dx%d) over %d settings; detection on %d face images"
        + " (%s, derived from %s). CSV: %s; charts: %s%n", frame.label(), f.width(), f.height(), rows.size(),
        faceSet.size(), String.join(" ", faceSet.stream().map(FaceSet.Scene::name).toList()), facesFile.getFileName(),
        csv, String.join(", ", charts.stream().map(Path::toString).toList()));
    out.println("Agreement = F1 of boxes matched one to one at IoU >= 0.5 against the uncompressed images;"
        + " bytes are the payload of the frame; a setting counts only if its mode meets the bar at every"
        + " higher quality too.");
    out.println(choiceLine(String.format(Locale.ROOT, "fewest bytes at >= %.0f%% detection agreement",
        AGREEMENT_TARGET * 100), c.detection()));
    out.println(choiceLine(String.format(Locale.ROOT, "fewest bytes at PSNR >= %.1f dB (colour modes)", floor),
        c.psnr()));
    out.println(choiceLine("fewest bytes at both (colour modes)", c.both()));
    out.println(choiceLine(String.format(Locale.ROOT, "fewest bytes at PSNR >= %.1f dB, gray (luma PSNR only)",
        floor), c.grayPsnr()));
    return 0;
  }

  /** The qualities, each checked to be within 1..100, without repeats, in ascending order. */
  private int[] checkedQualities() {
    for (int q : qualities) {
      if (q < 1 || q > 100) {
        throw new ParameterException(spec.commandLine(), "--qualities must be within 1..100, got " + q);
      }
    }
    return Arrays.stream(qualities).distinct().sorted().toArray();
  }

  static String choiceLine(String what, Optional<Row> row) {
    if (row.isEmpty()) {
      return what + ": none of the settings qualifies";
    }
    Row r = row.get();
    return String.format(Locale.ROOT, "%s: %s, %,d B (base64 %,d B), PSNR %.2f dB, SSIM %.4f, agreement %.3f"
        + " (recall %.3f, precision %.3f, mean IoU %.3f)", what, r.label(), r.bytes(), r.base64Bytes(),
        r.psnr(), r.ssim(), r.agreement().f1(), r.agreement().recall(), r.agreement().precision(),
        r.agreement().meanIou());
  }

  /**
   * The cheapest settings. A setting qualifies only when its mode meets the bar at that quality
   * <em>and at every higher quality swept</em>: detection agreement is not monotonic in quality
   * (on a small face set one lucky box at q1 can beat q3), and a recommendation must not rest on
   * such a point.
   */
  static Choices choose(List<Row> rows, double floor) {
    Predicate<Row> colour = r -> !r.mode().equals("gray");
    Predicate<Row> agrees = holdsUpward(rows, r -> r.agreement().f1() >= AGREEMENT_TARGET);
    Predicate<Row> sharp = holdsUpward(rows, r -> r.psnr() >= floor);
    return new Choices(smallest(rows, agrees), smallest(rows, colour.and(sharp)),
        smallest(rows, colour.and(sharp).and(agrees)), smallest(rows, colour.negate().and(sharp)));
  }

  private static Predicate<Row> holdsUpward(List<Row> rows, Predicate<Row> bar) {
    return r -> rows.stream().filter(o -> o.mode().equals(r.mode()) && o.quality() >= r.quality())
        .allMatch(bar);
  }

  private static Optional<Row> smallest(List<Row> rows, Predicate<Row> keep) {
    return rows.stream().filter(keep).min(Comparator.comparingInt(Row::bytes));
  }

  private Row measure(JpegCodec codec, Detector detector, Frame frame, Frame luma, List<FaceSet.Scene> faceSet,
      List<List<Detection>> reference, Mode m, int quality) {
    EncodeOptions o = m.base().withQuality(quality);
    boolean gray = o.mode() == JpegMode.GRAY;
    RoundTripTiming t = RoundTripTiming.measure(codec, frame, o, 1, reps);
    double psnr = FrameMetrics.psnr(gray ? luma : frame, t.decoded());
    double ssim = FrameMetrics.ssim(gray ? luma : frame, t.decoded());

    List<EncodedFrame> payloads = new ArrayList<>();
    long faceBytes = 0;
    for (FaceSet.Scene f : faceSet) {
      EncodedFrame p = codec.encodeFrame(f.frame(), o);
      faceBytes += p.payloadLength();
      payloads.add(p);
    }
    List<List<Detection>> found = detector.detectEncoded(payloads).all();
    Agreement agreement = Agreement.NONE;
    for (int i = 0; i < faceSet.size(); i++) {
      agreement = agreement.plus(match(reference.get(i), found.get(i), MATCH_IOU));
    }
    return new Row(m.label(), quality, t.bytes(), Base64Codec.encodedLength(t.bytes()), t.encodeMs(), t.decodeMs(),
        psnr, ssim, faceBytes, agreement);
  }

  /**
   * Matches boxes one to one: all pairs at or above {@code minIou}, taken best IoU first (ties by
   * reference order, then found order), each box used at most once.
   */
  static Agreement match(List<Detection> reference, List<Detection> found, float minIou) {
    record Pair(int ref, int got, float iou) {}
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < reference.size(); i++) {
      for (int j = 0; j < found.size(); j++) {
        float iou = reference.get(i).box().iou(found.get(j).box());
        if (iou >= minIou) {
          pairs.add(new Pair(i, j, iou));
        }
      }
    }
    pairs.sort(Comparator.comparingDouble((Pair p) -> -p.iou()).thenComparingInt(Pair::ref)
        .thenComparingInt(Pair::got));
    boolean[] refUsed = new boolean[reference.size()];
    boolean[] gotUsed = new boolean[found.size()];
    int matched = 0;
    double iouSum = 0;
    double scoreSum = 0;
    for (Pair p : pairs) {
      if (!refUsed[p.ref()] && !gotUsed[p.got()]) {
        refUsed[p.ref()] = true;
        gotUsed[p.got()] = true;
        matched++;
        iouSum += p.iou();
        scoreSum += found.get(p.got()).score() - reference.get(p.ref()).score();
      }
    }
    return new Agreement(reference.size(), found.size(), matched, iouSum, scoreSum);
  }

  static void writeCsv(List<Row> rows, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(CSV_HEADER + "\n");
      for (Row r : rows) {
        Agreement ag = r.agreement();
        w.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%.3f,%.3f,%s,%.5f,%d,%d,%d,%d,%.4f,%.4f,%.4f,%s,%s%n",
            r.mode(), r.quality(), r.bytes(), r.base64Bytes(), r.encodeMs(), r.decodeMs(), num(r.psnr(), 3),
            r.ssim(), r.faceSetBytes(), ag.reference(), ag.found(), ag.matched(), ag.recall(), ag.precision(),
            ag.f1(), num(ag.meanIou(), 4), num(ag.meanScoreChange(), 4)));
      }
    }
  }

  /** A CSV number; empty for NaN (no matched pairs), "inf" for lossless PSNR. */
  private static String num(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (Double.isInfinite(v)) {
      return "inf";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static List<Path> writeCharts(List<Row> rows, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(chart(rows, dir.resolve("bytes-vs-quality.png"), "Payload bytes vs JPEG quality",
        "quality", "payload bytes (log)", r -> r.quality(), Row::bytes, false, true));
    files.add(chart(rows, dir.resolve("psnr-vs-bytes.png"), "PSNR vs payload bytes (gray: luma PSNR)",
        "payload bytes (log)", "PSNR dB", Row::bytes, Row::psnr, true, false));
    files.add(chart(rows, dir.resolve("detection-vs-bytes.png"),
        "BlazeFace agreement (F1 at IoU 0.5) vs payload bytes of the frame", "payload bytes (log)",
        "detection agreement", Row::bytes, r -> r.agreement().f1(), true, false));
    return files;
  }

  private static Path chart(List<Row> rows, Path file, String title, String xTitle, String yTitle,
      ToDoubleFunction<Row> x, ToDoubleFunction<Row> y, boolean logX, boolean logY) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(5);
    for (Mode m : MODES) {
      // A lossless PSNR (+inf) has no place on an axis; leave the point out.
      List<Row> series = rows.stream().filter(r -> r.mode().equals(m.label()))
          .filter(r -> Double.isFinite(x.applyAsDouble(r)) && Double.isFinite(y.applyAsDouble(r)))
          .sorted(Comparator.comparingDouble(x)).toList();
      if (series.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(m.label(), series.stream().mapToDouble(x).toArray(),
          series.stream().mapToDouble(y).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
