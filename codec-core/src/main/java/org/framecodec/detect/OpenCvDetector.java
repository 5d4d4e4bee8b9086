package org.framecodec.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.bytedeco.javacpp.PointerScope;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.frames.Frame;

/**
 * The {@link Detector} on OpenCV DNN: a {@link DetectorPipeline} decodes payloads at the model's
 * scale straight into the input tensor on worker threads, a {@link DnnSession} runs the tensor,
 * and the head's {@link OutputDecoder} and {@link Nms} turn outputs into detections, overlapping
 * one batch's CPU work with another's forward pass. Batches larger than
 * {@link DetectorInfo#maxBatch()} run as several forward passes; a model fixed at batch 1 runs one
 * pass per frame from the same tensor.
 *
 * <p>Owns the session and the pipeline (its threads, codecs and tensors). Thread-safe.
 */
final class OpenCvDetector implements Detector {
  /**
   * Chunks in flight: one filling, one in the model, one post-processing; each nvJPEG stream and
   * each copy of the network past the first adds one, so that each has a chunk of its own.
   */
  private static final int PIPELINE_DEPTH = 3;
  /** Largest batch for which a GPU detector runs two copies of the network by default. */
  static final int SMALL_BATCH = 32;
  /** Largest model file read into memory; real detectors are far smaller. */
  private static final long MAX_MODEL_BYTES = 1L << 30;

  private final DetectorInfo info;
  private final List<DnnSession> sessions;
  private final DetectorPipeline pipeline;
  private volatile boolean closed;

  private OpenCvDetector(DetectorInfo info, List<DnnSession> sessions, DetectorPipeline pipeline) {
    this.info = info;
    this.sessions = sessions;
    this.pipeline = pipeline;
  }

  /** Opens nvJPEG decoders: (input spec, {@code NVJPEG_BACKEND_*} value) to a started decoder. */
  interface GpuDecoders {
    GpuBlockDecoder open(InputSpec spec, int backend);
  }

  static OpenCvDetector open(DetectorOptions options) {
    return open(options, NvJpegDecoder::open);
  }

  /** As {@link #open(DetectorOptions)}, with the GPU lane's decoders from {@code gpuDecoders}. */
  static OpenCvDetector open(DetectorOptions options, GpuDecoders gpuDecoders) {
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
    List<DnnSession> sessions = new ArrayList<>(List.of(session));
    try {
      List<Tensor> probe;
      boolean dynamic;
      try (PointerScope scope = new PointerScope();
          PipelineSlot probeSlot = new PipelineSlot(spec)) {
        probeSlot.load(null, 0, declaredBatch == 1 ? 1 : Math.min(2, options.maxBatch()));
        probeSlot.zero();
        probe = copy(session.start(options.device(), options.requireGpu(), probeSlot.single(0)));
        dynamic = declaredBatch == OnnxModelInfo.DYNAMIC && options.maxBatch() > 1
            && runsBatchOfTwo(session, probeSlot);
        int instances = options.decodeThreads() == 0 ? 1 : options.modelInstances() > 0
            ? options.modelInstances() : autoModelInstances(session.target(), options.maxBatch());
        for (int i = 1; i < instances; i++) {
          DnnSession copy = DnnSession.load(bytes, path.toString());
          sessions.add(copy);
          // Same target as the first, or fail: the copies must not differ in where they run.
          copy.start(deviceOf(session.target()), session.target().isGpu(), probeSlot.single(0));
        }
      }
      OutputDecoder decoder = options.head().bind(probe, spec);
      NmsOptions nms = options.nms().orElse(options.head().defaultNms());
      int threads = options.decodeThreads();
      String[] gpuWhy = new String[1];
      GpuDecodeLane gpu = threads == 0 ? null
          : gpuLane(options, spec, session.target(), gpuDecoders, gpuWhy);
      if (gpu != null && options.autoDecodeThreads()) {
        // The lane's and the inference threads' host work is on the critical path; leave them cores.
        threads = Math.max(1, threads - gpu.decoders() - 1);
      }
      String gpuDecode = gpu != null ? gpu.description()
          : "off" + (gpuWhy[0] != null ? ": " + gpuWhy[0] : threads == 0 ? ": serial path" : "");
      DetectorInfo info = new DetectorInfo(path, options.head().name(), spec, nms,
          options.device(), session.target(), session.fallbackReason(), dynamic,
          dynamic ? options.maxBatch() : 1, threads, options.scaledDecode(), gpuDecode,
          sessions.size());
      DetectorPipeline pipeline = new DetectorPipeline(sessions, decoder, spec, nms,
          dynamic ? options.maxBatch() : 1, dynamic, options.decoder(), options.limits(),
          options.scaledDecode(), threads,
          PIPELINE_DEPTH + (gpu == null ? 0 : gpu.decoders() - 1) + sessions.size() - 1,
          gpu);
      return new OpenCvDetector(info, List.copyOf(sessions), pipeline);
    } catch (RuntimeException | Error e) {
      sessions.forEach(DnnSession::close);
      throw e;
    }
  }

  /**
   * The nvJPEG lane the options ask for, or null with the reason in {@code why[0]}. AUTO tries
   * only when the model runs on CUDA; a named backend must start.
   */
  private static GpuDecodeLane gpuLane(DetectorOptions options, InputSpec spec, DnnTarget target,
      GpuDecoders opener, String[] why) {
    GpuDecode mode = options.gpuDecode();
    if (mode == GpuDecode.OFF) {
      return null;
    }
    if (mode == GpuDecode.AUTO && !target.isGpu()) {
      why[0] = "the model runs on the CPU";
      return null;
    }
    List<GpuBlockDecoder> decoders = new ArrayList<>();
    List<FrameFiller> fallbacks = new ArrayList<>();
    try {
      for (int i = 0; i < options.gpuDecodeStreams(); i++) {
        decoders.add(opener.open(spec, mode.nvjpegBackend()));
        fallbacks.add(new FrameFiller(spec, options.decoder(), options.limits(),
            options.scaledDecode()));
      }
      return new GpuDecodeLane(decoders, fallbacks, options.gpuDecodeShare(),
          options.gpuDecodeBlock(), "framecodec-detect-nvjpeg");
    } catch (RuntimeException | Error e) {
      decoders.forEach(GpuBlockDecoder::close);
      fallbacks.forEach(FrameFiller::close);
      if (!(e instanceof GpuUnavailableException || e instanceof NvJpegDecoder.GpuDecodeException
          || e instanceof LinkageError)) {
        throw e;
      }
      if (mode != GpuDecode.AUTO) {
        throw e instanceof GpuUnavailableException g ? g
            : new GpuUnavailableException("nvJPEG (" + mode + ") cannot start: " + e.getMessage(), e);
      }
      why[0] = e.getMessage();
      return null;
    }
  }

  /**
   * Two copies of the network on a GPU for batches up to {@link #SMALL_BATCH}, else one. Measured
   * on the H200 (docs/benchmarks.md): at batch 16 the second copy's overlap of host copies with
   * forward passes gave 5,515 images/s against 3,303; at 64 and 256 the pipeline is bound by
   * decoding, and one copy gave more (medians 7,850 against 7,191, and 7,682 against 7,008),
   * since the second inference thread's waits spin on a core the decoders need.
   */
  static int autoModelInstances(DnnTarget target, int maxBatch) {
    return target.isGpu() && maxBatch <= SMALL_BATCH ? 2 : 1;
  }

  private static DnnDevice deviceOf(DnnTarget target) {
    return switch (target) {
      case CPU -> DnnDevice.CPU;
      case CUDA -> DnnDevice.CUDA;
      case CUDA_FP16 -> DnnDevice.CUDA_FP16;
    };
  }

  /** Copies tensors that are views of the engine's memory, for use after its next pass. */
  private static List<Tensor> copy(List<Tensor> views) {
    List<Tensor> out = new ArrayList<>(views.size());
    for (Tensor t : views) {
      float[] data = new float[t.size()];
      t.copyTo(data, 0);
      out.add(Tensor.of(data, t.shape()));
    }
    return out;
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
  private static boolean runsBatchOfTwo(DnnSession session, PipelineSlot slot) {
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> outs = session.forward(slot.batch(2));
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
    return join(detectAsync(frames));
  }

  @Override
  public DetectionBatch detectEncoded(List<EncodedFrame> frames) {
    return join(detectEncodedAsync(frames));
  }

  @Override
  public CompletableFuture<DetectionBatch> detectAsync(List<Frame> frames) {
    ensureOpen();
    return pipeline.submit(frames, false);
  }

  @Override
  public CompletableFuture<DetectionBatch> detectEncodedAsync(List<EncodedFrame> frames) {
    ensureOpen();
    return pipeline.submit(frames, true);
  }

  /** The result, or the item's own exception (not a CompletionException) on this thread. */
  private static DetectionBatch join(CompletableFuture<DetectionBatch> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new DetectorException("detection failed: " + cause, cause);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("detector for " + info.model() + " is closed");
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    pipeline.close();
    sessions.forEach(DnnSession::close);
  }

  @Override
  public String toString() {
    return "Detector{" + info.model().getFileName() + ", " + info.head() + ", " + info.target()
        + ", batch " + (info.dynamicBatch() ? "dynamic up to " + info.maxBatch() : "1") + "}";
  }
}
