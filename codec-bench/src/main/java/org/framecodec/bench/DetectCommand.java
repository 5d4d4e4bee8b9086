package org.framecodec.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.framecodec.FrameFormatException;
import org.framecodec.detect.BlazeFaceHead;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorException;
import org.framecodec.detect.DetectorInfo;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.detect.Keypoint;
import org.framecodec.detect.NmsOptions;
import org.framecodec.detect.OutputHead;
import org.framecodec.detect.YoloV5Head;
import org.framecodec.frames.Frame;

/**
 * {@code framecodec detect}: runs a detector on image files and prints one JSON object per image,
 * one per line, in the order given.
 *
 * <pre>
 * framecodec detect --model M.onnx [--head blazeface|yolov5] [--device auto|cpu|cuda|cuda_fp16]
 *                   [--require-gpu] [--score S] [--iou I] [--max-detections N] IMAGE...
 *
 * {"file":"a.png","width":512,"height":512,"backend":"opencv","target":"cpu",
 *  "detections":[{"box":[178.68,82.25,271.21,174.79],"score":0.921,"class":0,
 *                 "keypoints":[[206.84,100.5],...]}]}
 * </pre>
 *
 * Boxes are {@code [x1, y1, x2, y2]} in the image's pixels. When a GPU was asked for but the CPU
 * ran, the object also carries {@code "fallback"} with the reason. Exit status: 0 on success, 2
 * on a usage error, 1 when the model or an image cannot be used; errors are one line on stderr.
 * Images are read with OpenCV ({@code imread}) and run in batches of the detector's max batch.
 */
public final class DetectCommand {
  static final String USAGE = "usage: framecodec detect --model M.onnx [--head blazeface|yolov5] "
      + "[--device auto|cpu|cuda|cuda_fp16] [--require-gpu] [--score S] [--iou I] "
      + "[--max-detections N] IMAGE...";

  private DetectCommand() {}

  /** Runs the command on {@code System.out} and {@code System.err}; returns the exit status. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /** Runs the command with the given streams; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("framecodec detect: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      for (Path image : o.images) {
        if (!Files.isRegularFile(image)) {
          throw new IllegalArgumentException("image " + image + " does not exist or is not a file");
        }
      }
      try (Detector detector = Detector.open(o.detector)) {
        int batch = detector.info().maxBatch();
        for (int from = 0; from < o.images.size(); from += batch) {
          List<Path> files = o.images.subList(from, Math.min(o.images.size(), from + batch));
          List<Frame> frames = new ArrayList<>(files.size());
          for (Path f : files) {
            frames.add(ImageFiles.readBgr(f));
          }
          DetectionBatch result = detector.detect(frames);
          for (int i = 0; i < files.size(); i++) {
            printJson(out, files.get(i), frames.get(i), detector.info(), result.get(i));
          }
        }
      }
      return 0;
    } catch (IllegalArgumentException | DetectorException | FrameFormatException e) {
      err.println("framecodec detect: " + oneLine(e.getMessage()));
      return 1;
    }
  }

  private static String oneLine(String s) {
    return String.valueOf(s).replaceAll("\\s+", " ").trim();
  }

  private static void printJson(PrintStream out, Path file, Frame frame, DetectorInfo info,
      List<Detection> detections) {
    try (JsonGenerator g = new JsonFactory().createGenerator(nonClosing(out))) {
      g.writeStartObject();
      g.writeStringField("file", file.toString());
      g.writeNumberField("width", frame.width());
      g.writeNumberField("height", frame.height());
      g.writeStringField("backend", info.target().backendName());
      g.writeStringField("target", info.target().targetName());
      if (info.requested() != DnnDevice.CPU && info.fallbackReason().isPresent()) {
        g.writeStringField("fallback", info.fallbackReason().get());
      }
      g.writeArrayFieldStart("detections");
      for (Detection d : detections) {
        g.writeStartObject();
        g.writeArrayFieldStart("box");
        g.writeNumber(round(d.box().x1()));
        g.writeNumber(round(d.box().y1()));
        g.writeNumber(round(d.box().x2()));
        g.writeNumber(round(d.box().y2()));
        g.writeEndArray();
        g.writeNumberField("score", Math.round(d.score() * 1e4) / 1e4);
        g.writeNumberField("class", d.classId());
        g.writeArrayFieldStart("keypoints");
        for (Keypoint k : d.keypoints()) {
          g.writeStartArray();
          g.writeNumber(round(k.x()));
          g.writeNumber(round(k.y()));
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println();
  }

  /** Two decimals: sub-pixel noise beyond that is not information. */
  private static double round(float v) {
    return Math.round(v * 100.0) / 100.0;
  }

  /** The stream, with close() only flushing, so the generator does not close stdout. */
  private static OutputStream nonClosing(PrintStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        out.write(b, off, len);
      }

      @Override
      public void close() {
        out.flush();
      }
    };
  }

  /** Parsed command line. */
  private static final class Options {
    Path model;
    OutputHead head = BlazeFaceHead.create();
    DnnDevice device = DnnDevice.AUTO;
    boolean requireGpu;
    Float score;
    Float iou;
    Integer maxDetections;
    final List<Path> images = new ArrayList<>();
    DetectorOptions detector;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--model" -> o.model = Path.of(value(args, ++i, a));
          case "--head" -> o.head = head(value(args, ++i, a));
          case "--device" -> o.device = DnnDevice.parse(value(args, ++i, a));
          case "--require-gpu" -> o.requireGpu = true;
          case "--score" -> o.score = number(value(args, ++i, a), a);
          case "--iou" -> o.iou = number(value(args, ++i, a), a);
          case "--max-detections" -> o.maxDetections = integer(value(args, ++i, a), a);
          default -> {
            if (a.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            o.images.add(Path.of(a));
          }
        }
      }
      if (o.model == null) {
        throw new IllegalArgumentException("--model is required");
      }
      if (o.images.isEmpty()) {
        throw new IllegalArgumentException("no images given");
      }
      o.detector = o.detectorOptions(); // bad thresholds are usage errors too
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static OutputHead head(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "blazeface" -> BlazeFaceHead.create();
        case "yolov5" -> YoloV5Head.create();
        default -> throw new IllegalArgumentException(
            "unknown head '" + name + "'; expected blazeface or yolov5");
      };
    }

    private static int integer(String s, String option) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a whole number, got '" + s + "'");
      }
    }

    private static float number(String s, String option) {
      try {
        return Float.parseFloat(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number, got '" + s + "'");
      }
    }

    DetectorOptions detectorOptions() {
      NmsOptions nms = head.defaultNms();
      if (score != null) {
        nms = nms.withScoreThreshold(score);
      }
      if (iou != null) {
        nms = nms.withIouThreshold(iou);
      }
      if (maxDetections != null) {
        nms = nms.withMaxDetections(maxDetections);
      }
      return DetectorOptions.builder(model, head).device(device).requireGpu(requireGpu).nms(nms)
          .build();
    }
  }
}
