package org.framecodec.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.BlazeFaceHead;
import org.framecodec.detect.Detection;
import org.framecodec.transport.DetectionsJson;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorInfo;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.GpuDecode;
import org.framecodec.detect.DnnDevice;
import org.framecodec.detect.NmsOptions;
import org.framecodec.detect.OutputHead;
import org.framecodec.detect.YoloV5Head;
import org.framecodec.frames.Frame;
import org.framecodec.wire.WireReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec detect}: runs a detector on image files and on payload files and prints one
 * JSON object per image or payload, one per line, in the order given.
 *
 * <pre>
 * framecodec detect [--model M.onnx] [--head blazeface|yolov5] [--device auto|cpu|cuda|cuda_fp16]
 *                   [--require-gpu] [--mode cv2-yuv|ycbcr|gray] [--threads N] [--score S] [--iou I]
 *                   [--max-detections N] INPUT...
 *
 * {"file":"a.png","width":512,"height":512,"backend":"opencv","target":"cpu",
 *  "detections":[{"box":[178.7,82.3,271.14,174.75],"score":0.9208,"class":0,
 *                 "keypoints":[[206.79,100.49],...]}]}
 * </pre>
 *
 * <p>Inputs: images ({@code .png}, {@code .bmp}, anything OpenCV reads that is not a payload) are
 * decoded with OpenCV; payload files go to the detector encoded and are decoded on its workers at
 * the model's scale, on all cores: a bare JPEG ({@code .jpg}, {@code .jpeg}), base64 text
 * ({@code .b64}), a JSON envelope or batch ({@code .json}), or a raw container ({@code .fcr},
 * {@code .bin}), detected from the bytes. A JSON or raw payload names its mode; a bare JPEG is
 * standard JPEG ({@code ycbcr}, or {@code gray} with one component) and base64 the Python peer's
 * {@code cv2-yuv}, unless {@code --mode} says otherwise. A file holding a batch prints one line per
 * frame, with its {@code "index"} in the file. All inputs run in batches of the detector's maximum
 * batch, three batches in flight.
 *
 * <p>Boxes are {@code [x1, y1, x2, y2]} in the image's pixels. When a GPU was asked for but the CPU
 * ran, the object also carries {@code "fallback"} with the reason. Exit status: 0 on success, 2
 * on a usage error, 1 when the model or an input cannot be used; errors are one line on stderr.
 */
@Command(name = "detect", description = "Run a detector on image and payload files (bare JPEG, base64, JSON"
    + " envelope, raw container); print one JSON object of detections per image or payload, one per line, in"
    + " the order given.")
public final class DetectCommand implements Callable<Integer> {
  /** Batches submitted ahead of the one being printed. */
  private static final int IN_FLIGHT = 3;

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Images (any format OpenCV reads) or payload"
      + " files (.jpg/.jpeg, .b64, .json, .fcr/.bin).")
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

  @Option(names = "--mode", paramLabel = "M", converter = OptionTypes.Mode.class, description = "JPEG mode of"
      + " bare JPEG and base64 payloads: cv2-yuv, ycbcr or gray; default: ycbcr (gray for one component)"
      + " for JPEG files, cv2-yuv for base64.")
  JpegMode mode;

  @Option(names = "--threads", paramLabel = "N", description = "Decode and pre-process threads; default:"
      + " one per processor, less one per nvJPEG decoder and one for inference when nvJPEG runs;"
      + " 0 runs everything on one thread.")
  Integer threads;

  @Option(names = "--gpu-decode", paramLabel = "D", converter = OptionTypes.GpuDecoding.class,
      description = "nvJPEG on the GPU for part of the payloads: auto, off, hardware, gpu-hybrid or"
      + " hybrid; default: auto (the JPEG engines when the model runs on CUDA).")
  GpuDecode gpuDecode = GpuDecode.AUTO;

  @Option(names = "--gpu-streams", paramLabel = "N", description = "nvJPEG decoders, each with its own"
      + " thread and CUDA stream; default: ${DEFAULT-VALUE}.")
  int gpuStreams = DetectorOptions.DEFAULT_GPU_DECODE_STREAMS;

  @Option(names = "--gpu-block", paramLabel = "N", description = "Payloads a hardware nvJPEG decoder"
      + " claims at a time from a batch it shares with the CPU workers; default: ${DEFAULT-VALUE}.")
  int gpuBlock = DetectorOptions.DEFAULT_GPU_DECODE_BLOCK;

  @Option(names = "--model-instances", paramLabel = "N", description = "Copies of the network taking"
      + " batches in turn; default: two on a GPU for batches up to 32, else one.")
  int modelInstances;

  @Option(names = "--score", paramLabel = "S", description = "Score threshold; default: the head's.")
  Float score;

  @Option(names = "--iou", paramLabel = "I", description = "NMS IoU threshold; default: the head's.")
  Float iou;

  @Option(names = "--max-detections", paramLabel = "N", description = "Most detections per image; default: the"
      + " head's.")
  Integer maxDetections;

  /** One thing to detect in: a decoded image or a payload, and where it came from. */
  private record Input(Path file, int index, boolean inBatch, Frame image, EncodedFrame payload) {
    int width() {
      return image != null ? image.width() : payload.width();
    }

    int height() {
      return image != null ? image.height() : payload.height();
    }
  }

  @Override
  public Integer call() throws IOException {
    Path modelFile = model == null ? BundledFiles.shared().file(BundledFiles.BLAZEFACE_FRONT, "--model") : model;
    DetectorOptions options = detectorOptions(modelFile);
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new IllegalArgumentException("input " + image + " does not exist or is not a file");
      }
    }
    List<Input> inputs = new ArrayList<>();
    for (Path f : images) {
      read(f, options.limits(), inputs);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Detector detector = Detector.open(options)) {
      int batch = detector.info().maxBatch();
      ArrayDeque<List<Input>> pending = new ArrayDeque<>();
      ArrayDeque<CompletableFuture<DetectionBatch>> results = new ArrayDeque<>();
      for (int from = 0; from < inputs.size(); from += batch) {
        List<Input> chunk = inputs.subList(from, Math.min(inputs.size(), from + batch));
        pending.add(chunk);
        results.add(submit(detector, chunk));
        if (results.size() >= IN_FLIGHT) {
          print(out, pending.poll(), results.poll(), detector.info());
        }
      }
      while (!results.isEmpty()) {
        print(out, pending.poll(), results.poll(), detector.info());
      }
    }
    return 0;
  }

  /** Reads one input file: an image, or the frames of a payload file. */
  private void read(Path file, Limits limits, List<Input> into) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean payload = PAYLOAD_SUFFIXES.stream().anyMatch(name::endsWith);
    if (!payload) {
      into.add(new Input(file, 0, false, BenchImages.readWithOpenCv(file), null));
      return;
    }
    if (Files.size(file) > limits.maxDocumentBytes()) {
      throw new IllegalArgumentException("payload file " + file + " has " + Files.size(file)
          + " bytes, more than the limit of " + limits.maxDocumentBytes());
    }
    byte[] bytes = Files.readAllBytes(file);
    boolean jpeg = name.endsWith(".jpg") || name.endsWith(".jpeg");
    JpegMode bare = mode != null ? mode : jpeg ? JpegMode.YCBCR : JpegMode.CV2_YUV;
    List<EncodedFrame> frames;
    try {
      frames = new WireReader(limits, bare).read(bytes).frames();
    } catch (FrameFormatException e) {
      throw new FrameFormatException(file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < frames.size(); i++) {
      EncodedFrame f = frames.get(i);
      if (mode == null && f.channels() == 1 && f.mode() == JpegMode.YCBCR) {
        f = f.toBuilder().mode(JpegMode.GRAY).build(); // a one-component JPEG file is gray
      }
      into.add(new Input(file, i, frames.size() > 1, null, f));
    }
  }

  private static final List<String> PAYLOAD_SUFFIXES = List.of(".jpg", ".jpeg", ".b64", ".json", ".fcr", ".bin");

  /** A chunk of images or payloads, submitted as one batch of each kind (order kept by index). */
  private static CompletableFuture<DetectionBatch> submit(Detector detector, List<Input> chunk) {
    List<EncodedFrame> payloads = new ArrayList<>();
    List<Frame> frames = new ArrayList<>();
    for (Input in : chunk) {
      if (in.payload() != null) {
        payloads.add(in.payload());
      } else {
        frames.add(in.image());
      }
    }
    CompletableFuture<DetectionBatch> p = payloads.isEmpty() ? null : detector.detectEncodedAsync(payloads);
    CompletableFuture<DetectionBatch> f = frames.isEmpty() ? null : detector.detectAsync(frames);
    if (p == null) {
      return f;
    }
    if (f == null) {
      return p;
    }
    return p.thenCombine(f, (pb, fb) -> {
      List<List<Detection>> merged = new ArrayList<>(chunk.size());
      int pi = 0;
      int fi = 0;
      for (Input in : chunk) {
        merged.add(in.payload() != null ? pb.get(pi++) : fb.get(fi++));
      }
      return new DetectionBatch(merged, pb.timings().plus(fb.timings()), pb.gpuDecoded());
    });
  }

  private static void print(PrintWriter out, List<Input> chunk, CompletableFuture<DetectionBatch> result,
      DetectorInfo info) {
    DetectionBatch b;
    try {
      b = result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
    for (int i = 0; i < chunk.size(); i++) {
      printJson(out, chunk.get(i), info, b.get(i));
    }
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
      DetectorOptions.Builder b = DetectorOptions.builder(modelFile, h).device(device)
          .requireGpu(requireGpu).nms(nms).gpuDecode(gpuDecode).gpuDecodeStreams(gpuStreams)
          .gpuDecodeBlock(gpuBlock).modelInstances(modelInstances);
      if (threads != null) {
        b.decodeThreads(threads);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static void printJson(PrintWriter out, Input in, DetectorInfo info, List<Detection> detections) {
    try (JsonGenerator g = new JsonFactory().createGenerator(nonClosing(out))) {
      g.writeStartObject();
      g.writeStringField("file", in.file().toString());
      if (in.inBatch()) {
        g.writeNumberField("index", in.index());
      }
      g.writeNumberField("width", in.width());
      g.writeNumberField("height", in.height());
      g.writeStringField("backend", info.target().backendName());
      g.writeStringField("target", info.target().targetName());
      if (info.requested() != DnnDevice.CPU && info.fallbackReason().isPresent()) {
        g.writeStringField("fallback", info.fallbackReason().get());
      }
      g.writeArrayFieldStart("detections");
      for (Detection d : detections) {
        DetectionsJson.writeDetection(g, d, true);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println();
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
