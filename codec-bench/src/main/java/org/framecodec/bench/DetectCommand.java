package org.framecodec.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.detect.BlazeFaceHead;
import org.framecodec.detect.Detection;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorInfo;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.detect.Keypoint;
import org.framecodec.detect.NmsOptions;
import org.framecodec.detect.OutputHead;
import org.framecodec.detect.YoloV5Head;
import org.framecodec.frames.Frame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec detect}: runs a detector on image files and prints one JSON object per image,
 * one per line, in the order given.
 *
 * <pre>
 * framecodec detect [--model M.onnx] [--head blazeface|yolov5] [--device auto|cpu|cuda|cuda_fp16]
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
@Command(name = "detect", description = "Run a detector on image files; print one JSON object of detections per"
    + " image, one per line, in the order given.")
public final class DetectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images (any format OpenCV reads).")
  List<Path> images;

  @Option(names = "--model", paramLabel = "M.onnx", description = "ONNX detection model; default: the bundled"
      + " BlazeFace front model (face_detection_front_128x128_dynbatch.onnx).")
  Path model;

  @Option(names = "--head", paramLabel = "HEAD", description = "Output decoder: blazeface or yolov5.")
  String head = "blazeface";

  @Option(names = "--device", paramLabel = "D", converter = OptionTypes.Device.class, defaultValue = "auto",
      description = "auto, cpu, cuda or cuda_fp16.")
  DnnDevice device;

  @Option(names = "--require-gpu", description = "Fail instead of falling back to the CPU.")
  boolean requireGpu;

  @Option(names = "--score", paramLabel = "S", description = "Score threshold; default: the head's.")
  Float score;

  @Option(names = "--iou", paramLabel = "I", description = "NMS IoU threshold; default: the head's.")
  Float iou;

  @Option(names = "--max-detections", paramLabel = "N", description = "Most detections per image; default: the"
      + " head's.")
  Integer maxDetections;

  @Override
  public Integer call() throws IOException {
    Path modelFile = model == null ? BundledFiles.shared().file(BundledFiles.BLAZEFACE_FRONT, "--model") : model;
    DetectorOptions options = detectorOptions(modelFile);
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new IllegalArgumentException("image " + image + " does not exist or is not a file");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Detector detector = Detector.open(options)) {
      int batch = detector.info().maxBatch();
      for (int from = 0; from < images.size(); from += batch) {
        List<Path> files = images.subList(from, Math.min(images.size(), from + batch));
        List<Frame> frames = new ArrayList<>(files.size());
        for (Path f : files) {
          frames.add(BenchImages.readWithOpenCv(f));
        }
        DetectionBatch result = detector.detect(frames);
        for (int i = 0; i < files.size(); i++) {
          printJson(out, files.get(i), frames.get(i), detector.info(), result.get(i));
        }
      }
    }
    return 0;
  }

  /** The detector's options; bad thresholds are usage errors. */
  private DetectorOptions detectorOptions(Path modelFile) {
    try {
      OutputHead h = switch (head.toLowerCase(Locale.ROOT)) {
        case "blazeface" -> BlazeFaceHead.create();
        case "yolov5" -> YoloV5Head.create();
        default -> throw new IllegalArgumentException("unknown head '" + head + "'; expected blazeface or yolov5");
      };
      NmsOptions nms = h.defaultNms();
      if (score != null) {
        nms = nms.withScoreThreshold(score);
      }
      if (iou != null) {
        nms = nms.withIouThreshold(iou);
      }
      if (maxDetections != null) {
        nms = nms.withMaxDetections(maxDetections);
      }
      return DetectorOptions.builder(modelFile, h).device(device).requireGpu(requireGpu).nms(nms).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static void printJson(PrintWriter out, Path file, Frame frame, DetectorInfo info,
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

  /** The writer, with close() only flushing, so the generator does not close stdout. */
  private static Writer nonClosing(PrintWriter out) {
    return new Writer() {
      @Override
      public void write(char[] b, int off, int len) {
        out.write(b, off, len);
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    };
  }
}
