package org.framecodec.detect;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.opencv_core.IntIntPairVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.framecodec.natives.NativeScope;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * One OpenCV DNN network on one backend and target: loading, choosing CPU or CUDA, and forward
 * passes whose outputs are handed out as {@link Tensor} views.
 *
 * <p>Device choice: CUDA is used only when the OpenCV natives list a CUDA backend
 * ({@code getAvailableBackends()}, true only for bytedeco's {@code linux-x86_64-gpu} natives) and
 * {@code getCudaEnabledDeviceCount() > 0}; both probes are guarded, since CPU natives may lack the
 * CUDA symbols. The network is then proven by a forward pass on the chosen target: OpenCV reports
 * some CUDA failures (missing cuDNN, an unsupported layer set-up) only there. A GPU that fails
 * either check raises {@link GpuUnavailableException} when required, else the session falls back
 * to the CPU and records why.
 *
 * <p>Owns the network and its output memory. Tensors from {@link #forward} are valid until the
 * next forward or {@link #close()}. Not thread-safe.
 */
final class DnnSession implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DnnSession.class.getName());

  private final Net net;
  private final String source;
  private final StringVector outputNames;
  private final MatVector outputs = NativeScope.keep(new MatVector());
  private DnnTarget target;
  private String fallbackReason;

  private DnnSession(Net net, String source) {
    this.net = NativeScope.keep(net);
    this.source = source;
    this.outputNames = NativeScope.keep(net.getUnconnectedOutLayersNames());
  }

  /** Loads ONNX bytes; {@code source} names the file in messages. */
  static DnnSession load(byte[] model, String source) {
    Net net;
    try {
      net = opencv_dnn.readNetFromONNX(model);
    } catch (RuntimeException e) {
      throw new DetectorException("OpenCV cannot load " + source + ": " + cvMessage(e), e);
    }
    if (net == null || net.empty()) {
      throw new DetectorException("OpenCV loaded an empty network from " + source);
    }
    return new DnnSession(net, source);
  }

  /**
   * Configures the device and proves it with a forward pass of {@code probe}; returns that pass's
   * outputs. Falls back to the CPU (or throws when {@code requireGpu}) as the class describes.
   */
  List<Tensor> start(DnnDevice device, boolean requireGpu, Mat probe) {
    DnnTarget wanted = switch (device) {
      case CPU -> DnnTarget.CPU;
      case AUTO, CUDA -> DnnTarget.CUDA;
      case CUDA_FP16 -> DnnTarget.CUDA_FP16;
    };
    if (wanted.isGpu()) {
      String why = cudaUnavailableReason();
      if (why == null) {
        try {
          use(wanted);
          return forward(probe);
        } catch (DetectorException e) {
          why = "the first forward pass on " + wanted + " failed: " + e.getMessage();
        }
      }
      if (requireGpu) {
        throw new GpuUnavailableException("a GPU is required but " + why);
      }
      fallbackReason = why;
      if (device != DnnDevice.AUTO) {
        LOG.log(System.Logger.Level.WARNING, "detector for {0}: {1} requested but {2}; running on the CPU",
            source, device, why);
      }
    }
    use(DnnTarget.CPU);
    return forward(probe);
  }

  /**
   * Why CUDA cannot be used here, or null when it can. Never throws: CPU-only natives may lack the
   * CUDA entry points or the CUDA runtime libraries altogether.
   */
  static String cudaUnavailableReason() {
    try {
      boolean cudaBackend = false;
      IntIntPairVector available = opencv_dnn.getAvailableBackends();
      for (long i = 0; i < available.size(); i++) {
        cudaBackend |= available.first(i) == opencv_dnn.DNN_BACKEND_CUDA;
      }
      if (!cudaBackend) {
        return "the OpenCV natives have no CUDA backend (add org.bytedeco:opencv:"
            + "4.13.0-1.5.13:linux-x86_64-gpu and run with -Dorg.bytedeco.javacpp.platform.extension=-gpu)";
      }
      int devices = opencv_core.getCudaEnabledDeviceCount();
      if (devices <= 0) {
        return "no CUDA device is visible (getCudaEnabledDeviceCount() = " + devices + ")";
      }
      return null;
    } catch (RuntimeException | LinkageError e) {
      return "probing CUDA failed: " + e;
    }
  }

  private void use(DnnTarget t) {
    switch (t) {
      case CPU -> {
        net.setPreferableBackend(opencv_dnn.DNN_BACKEND_OPENCV);
        net.setPreferableTarget(opencv_dnn.DNN_TARGET_CPU);
      }
      case CUDA -> {
        net.setPreferableBackend(opencv_dnn.DNN_BACKEND_CUDA);
        net.setPreferableTarget(opencv_dnn.DNN_TARGET_CUDA);
      }
      case CUDA_FP16 -> {
        net.setPreferableBackend(opencv_dnn.DNN_BACKEND_CUDA);
        net.setPreferableTarget(opencv_dnn.DNN_TARGET_CUDA_FP16);
      }
    }
    this.target = t;
  }

  DnnTarget target() {
    return target;
  }

  Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  /**
   * Runs the network on {@code input}; the outputs, in the model's output order, are views of
   * this session's memory, valid until the next call.
   */
  List<Tensor> forward(Mat input) {
    try {
      net.setInput(input);
      net.forward(outputs, outputNames);
    } catch (RuntimeException e) {
      throw new DetectorException("OpenCV failed to run " + source + " on " + target + " with input "
          + shape(input) + ": " + cvMessage(e), e);
    }
    List<Tensor> result = new ArrayList<>((int) outputs.size());
    for (long i = 0; i < outputs.size(); i++) {
      Mat m = outputs.get(i);
      if (m.depth() != CV_32F || !m.isContinuous()) {
        throw new DetectorException(source + " output " + i + " is not a continuous float32 tensor (type "
            + m.type() + ")");
      }
      int[] dims = new int[m.dims()];
      long n = 1;
      for (int d = 0; d < dims.length; d++) {
        dims[d] = m.size(d);
        n *= dims[d];
      }
      FloatPointer data = new FloatPointer(m.data()).position(0).capacity(n).limit(n);
      result.add(Tensor.of(data.asBuffer(), dims));
    }
    return result;
  }

  private static String shape(Mat m) {
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < m.dims(); d++) {
      sb.append(d > 0 ? ", " : "").append(m.size(d));
    }
    return sb.append(']').toString();
  }

  /** OpenCV's message without its build path: the text after "error: ", on one line. */
  static String cvMessage(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    int at = m.indexOf("error: ");
    if (at >= 0) {
      m = m.substring(at + "error: ".length());
    }
    return m.replaceAll("\\s+", " ").trim();
  }

  @Override
  public void close() {
    outputs.deallocate();
    outputNames.deallocate();
    net.deallocate();
  }
}
