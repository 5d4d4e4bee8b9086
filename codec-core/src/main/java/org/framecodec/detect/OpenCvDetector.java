package org.framecodec.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegInfo;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * The {@link Detector} on OpenCV DNN: a {@link Preprocessor} fills the input tensor, a
 * {@link DnnSession} runs it, the head's {@link OutputDecoder} and {@link Nms} turn outputs into
 * detections. Batches larger than {@link DetectorInfo#maxBatch()} run as several forward passes;
 * a model fixed at batch 1 runs one pass per frame from the same tensor.
 *
 * <p>Owns the session, the pre-processor, a JPEG codec and one direct frame per batch slot for
 * decoded payloads (reused while the payload size stays the same). Not thread-safe.
 */
final class OpenCvDetector implements Detector {
  /** Largest model file read into memory; real detectors are far smaller. */
  private static final long MAX_MODEL_BYTES = 1L << 30;

  private final DetectorInfo info;
  private final DnnSession session;
  private final Preprocessor pre;
  private final OutputDecoder decoder;
  private final JpegCodec codec;
  private final Frame[] decoded;
  private final List<Detection> candidates = new ArrayList<>();
  private boolean closed;

  private OpenCvDetector(DetectorInfo info, DnnSession session, Preprocessor pre,
      OutputDecoder decoder, JpegCodec codec) {
    this.info = info;
    this.session = session;
    this.pre = pre;
    this.decoder = decoder;
    this.codec = codec;
    this.decoded = new Frame[info.maxBatch()];
  }

  static OpenCvDetector open(DetectorOptions options) {
    Path path = options.model();
    byte[] bytes = readModel(path);
    OnnxModelInfo onnx = OnnxModelInfo.parse(bytes, path.toString());
    if (onnx.inputs().size() != 1) {
      throw new ModelMismatchException(path + " has " + onnx.inputs().size()
          + " inputs " + onnx.inputs() + "; the detector feeds exactly one image tensor");
    }
    OnnxModelInfo.ValueInfo in = onnx.inputs().get(0);
    InputSpec spec = resolveInput(options, in, path);
    int declaredBatch = in.dim(0);
    if (declaredBatch != OnnxModelInfo.DYNAMIC && declaredBatch != 1) {
      throw new ModelMismatchException(path + " is fixed at batch " + declaredBatch
          + " (input " + in + "); only dynamic or batch-1 models are supported");
    }
    DnnSession session = DnnSession.load(bytes, path.toString());
    Preprocessor pre = null;
    JpegCodec codec = null;
    try {
      pre = new Preprocessor(spec);
      pre.reserve(declaredBatch == 1 ? 1 : Math.min(2, options.maxBatch()));
      List<Tensor> probe;
      try (PointerScope scope = new PointerScope()) {
        probe = session.start(options.device(), options.requireGpu(), pre.single(0));
      }
      OutputDecoder decoder = options.head().bind(probe, spec);
      boolean dynamic = declaredBatch == OnnxModelInfo.DYNAMIC && options.maxBatch() > 1
          && runsBatchOfTwo(session, pre);
      NmsOptions nms = options.nms().orElse(options.head().defaultNms());
      DetectorInfo info = new DetectorInfo(path, options.head().name(), spec, nms,
          options.device(), session.target(), session.fallbackReason(), dynamic,
          dynamic ? options.maxBatch() : 1);
      codec = JpegCodec.open(options.decoder(), options.limits());
      return new OpenCvDetector(info, session, pre, decoder, codec);
    } catch (RuntimeException e) {
      if (codec != null) {
        codec.close();
      }
      if (pre != null) {
        pre.close();
      }
      session.close();
      throw e;
    }
  }

  private static byte[] readModel(Path path) {
    if (!Files.exists(path)) {
      throw new DetectorException("model file " + path + " does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw new DetectorException("model path " + path + " is not a regular file");
    }
    try {
      long size = Files.size(path);
      if (size > MAX_MODEL_BYTES) {
        throw new DetectorException("model file " + path + " has " + size
            + " bytes, more than the " + MAX_MODEL_BYTES + " the detector loads");
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new DetectorException("cannot read model file " + path + ": " + e, e);
    }
  }

  /** The override, checked against the declared input; or the head's default for it. */
  private static InputSpec resolveInput(DetectorOptions options, OnnxModelInfo.ValueInfo in, Path path) {
    TensorLayout layout;
    int h;
    int w;
    if (in.rank() == 4 && in.dim(3) == 3) {
      layout = TensorLayout.NHWC;
      h = in.dim(1);
      w = in.dim(2);
    } else if (in.rank() == 4 && in.dim(1) == 3) {
      layout = TensorLayout.NCHW;
      h = in.dim(2);
      w = in.dim(3);
    } else if (options.input().isPresent() && in.rank() == 4) {
      // Channels not declared: trust the caller; the first forward pass judges.
      return options.input().get();
    } else {
      throw new ModelMismatchException(path + " input " + in
          + " is not a 3-channel image batch [N, 3, H, W] or [N, H, W, 3]");
    }
    if (options.input().isPresent()) {
      InputSpec given = options.input().get();
      boolean sizeOk = (h == OnnxModelInfo.DYNAMIC || h == given.height())
          && (w == OnnxModelInfo.DYNAMIC || w == given.width());
      if (!sizeOk || given.layout() != layout) {
        throw new ModelMismatchException(path + " input " + in + " is " + layout + " " + w + "x" + h
            + ", but the input spec says " + given.layout() + " " + given.width() + "x" + given.height());
      }
      return given;
    }
    if (h == OnnxModelInfo.DYNAMIC || w == OnnxModelInfo.DYNAMIC) {
      throw new ModelMismatchException(path + " input " + in
          + " has no fixed size; give one with DetectorOptions.Builder.input(...)");
    }
    return options.head().defaultInput(w, h, layout);
  }

  /** Whether a model declaring a dynamic batch really runs two images in one pass. */
  private static boolean runsBatchOfTwo(DnnSession session, Preprocessor pre) {
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> outs = session.forward(pre.batch(2));
      for (Tensor t : outs) {
        if (t.rank() == 0 || t.dim(0) != 2) {
          return false;
        }
      }
      return true;
    } catch (DetectorException e) {
      return false;
    }
  }

  @Override
  public DetectorInfo info() {
    return info;
  }

  @Override
  public DetectionBatch detect(List<Frame> frames) {
    ensureOpen();
    checkBatch(frames, "frames");
    for (int i = 0; i < frames.size(); i++) {
      Frame f = Objects.requireNonNull(frames.get(i), "frame " + i);
      if (f.format().isPlanar()) {
        throw new IllegalArgumentException("frame " + i + " is planar " + f.format()
            + "; the detector takes BGR, RGB or GRAY frames");
      }
    }
    long start = System.nanoTime();
    long[] stages = new long[4];
    List<List<Detection>> results = new ArrayList<>(frames.size());
    for (int from = 0; from < frames.size(); from += info.maxBatch()) {
      List<Frame> chunk = frames.subList(from, Math.min(frames.size(), from + info.maxBatch()));
      run(chunk, stages, results);
    }
    return new DetectionBatch(results, timings(stages, start));
  }

  @Override
  public DetectionBatch detectEncoded(List<EncodedFrame> payloads) {
    ensureOpen();
    checkBatch(payloads, "payloads");
    codec.limits().checkFrameCount(payloads.size());
    long start = System.nanoTime();
    long[] stages = new long[4];
    List<List<Detection>> results = new ArrayList<>(payloads.size());
    PixelFormat format = info.input().channelOrder();
    for (int from = 0; from < payloads.size(); from += info.maxBatch()) {
      int n = Math.min(payloads.size() - from, info.maxBatch());
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        EncodedFrame p = Objects.requireNonNull(payloads.get(from + i), "payload " + (from + i));
        JpegInfo header = codec.readHeader(p.payloadArray(), p.payloadOffset(), p.payloadLength());
        Frame slot = decoded[i];
        if (slot == null || slot.width() != header.width() || slot.height() != header.height()) {
          slot = Frame.allocateDirect(format, header.width(), header.height());
          decoded[i] = slot;
        }
        codec.decodeInto(p, slot);
      }
      stages[0] += System.nanoTime() - t0;
      run(Arrays.asList(decoded).subList(0, n), stages, results);
    }
    return new DetectionBatch(results, timings(stages, start));
  }

  private static void checkBatch(List<?> batch, String what) {
    Objects.requireNonNull(batch, what);
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("the batch of " + what + " is empty; pass at least one");
    }
  }

  /** Pre-process, infer and post-process up to maxBatch frames; appends one result per frame. */
  private void run(List<Frame> chunk, long[] stages, List<List<Detection>> results) {
    int n = chunk.size();
    long t0 = System.nanoTime();
    pre.reserve(n);
    Letterbox[] boxes = new Letterbox[n];
    for (int i = 0; i < n; i++) {
      boxes[i] = pre.put(i, chunk.get(i));
    }
    stages[1] += System.nanoTime() - t0;
    try (PointerScope scope = new PointerScope()) {
      if (info.dynamicBatch()) {
        long t1 = System.nanoTime();
        List<Tensor> outs = session.forward(pre.batch(n));
        long t2 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          results.add(postprocess(outs, i, chunk.get(i), boxes[i]));
        }
        stages[2] += t2 - t1;
        stages[3] += System.nanoTime() - t2;
      } else {
        for (int i = 0; i < n; i++) {
          long t1 = System.nanoTime();
          List<Tensor> outs = session.forward(pre.single(i));
          long t2 = System.nanoTime();
          results.add(postprocess(outs, 0, chunk.get(i), boxes[i]));
          stages[2] += t2 - t1;
          stages[3] += System.nanoTime() - t2;
        }
      }
    }
  }

  private List<Detection> postprocess(List<Tensor> outs, int item, Frame frame, Letterbox lb) {
    candidates.clear();
    decoder.decode(outs, item, info.nms().scoreThreshold(), candidates);
    for (int i = 0; i < candidates.size(); i++) {
      candidates.set(i, lb.toFrame(candidates.get(i), frame.width(), frame.height()));
    }
    return Nms.apply(candidates, info.nms());
  }

  private static StageTimings timings(long[] stages, long start) {
    return new StageTimings(stages[0], stages[1], stages[2], stages[3], System.nanoTime() - start);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("detector for " + info.model() + " is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      codec.close();
      pre.close();
      session.close();
    }
  }

  @Override
  public String toString() {
    return "Detector{" + info.model().getFileName() + ", " + info.head() + ", " + info.target()
        + ", batch " + (info.dynamicBatch() ? "dynamic up to " + info.maxBatch() : "1") + "}";
  }
}
