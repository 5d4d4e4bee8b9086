package org.framecodec.detect;

import static org.bytedeco.cuda.global.cudart.cuCtxGetCurrent;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMajor;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMinor;
import static org.bytedeco.cuda.global.cudart.cudaDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cudaEventBlockingSync;
import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventDisableTiming;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaGetLastError;
import static org.bytedeco.cuda.global.cudart.cudaHostRegister;
import static org.bytedeco.cuda.global.cudart.cudaHostRegisterDefault;
import static org.bytedeco.cuda.global.cudart.cudaHostUnregister;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.nvjpeg.NVJPEG_OUTPUT_BGR;
import static org.bytedeco.cuda.global.nvjpeg.nvjpegCreateEx;
import static org.bytedeco.cuda.global.nvjpeg.nvjpegDecodeBatched;
import static org.bytedeco.cuda.global.nvjpeg.nvjpegDecodeBatchedInitialize;
import static org.bytedeco.cuda.global.nvjpeg.nvjpegDestroy;
import static org.bytedeco.cuda.global.nvjpeg.nvjpegJpegStateCreate;
import static org.bytedeco.cuda.global.nvjpeg.nvjpegJpegStateDestroy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvjpeg.nvjpegHandle;
import org.bytedeco.cuda.nvjpeg.nvjpegImage_t;
import org.bytedeco.cuda.nvjpeg.nvjpegJpegState;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegInfo;
import org.framecodec.codec.JpegMode;
import org.framecodec.natives.NativeScope;

/**
 * Decodes a batch of JPEG payloads on the GPU with nvJPEG's batched API (by default its hardware
 * backend, the JPEG engines of A100/H100/H200-class GPUs) and writes each, letterboxed and
 * normalised, into its slot of the host input tensor: one {@code nvjpegDecodeBatched}, one kernel
 * launch (compiled at start by NVRTC from {@code letterbox.cu}), one copy back. The calling thread
 * then sleeps on a blocking-sync event rather than spinning, so that waiting on the JPEG engines
 * does not take a core from the CPU workers; and the pipeline page-locks its tensors
 * ({@link #pinHost}), so the copy back is a DMA transfer, not a staged one.
 *
 * <p>Needs {@code org.bytedeco:cuda} (an optional dependency) and, at run time, the CUDA 13
 * runtime, nvJPEG and NVRTC libraries. {@link #open} fails with a {@link GpuUnavailableException}
 * naming what is missing; the pipeline then decodes everything on the CPU.
 *
 * <p>Owns a CUDA stream, an nvJPEG handle and state, device memory for the decoded planes and the
 * batch tensor, and pinned host memory for the bitstreams; all grow to the largest batch seen and
 * are freed by {@link #close()}. Every JavaCPP object it keeps is out of callers' pointer scopes.
 * <b>Not thread-safe</b>: the pipeline confines it to one thread.
 */
final class NvJpegDecoder implements GpuBlockDecoder {
  /** Bytes per image descriptor, as {@code struct fc_image} in letterbox.cu lays it out. */
  private static final int IMAGE_BYTES = 64;
  private static final int THREADS_PER_BLOCK = 256;

  private final InputSpec spec;
  private final int backend;
  private final String description;
  private final CUstream_st stream;
  private final CUevent_st done;
  private final nvjpegHandle handle;
  private final nvjpegJpegState state;
  private final CUmod_st module;
  private final CUfunc_st kernel;
  private int initialisedBatch = -1;

  private BytePointer pinned = NativeScope.keep(new BytePointer());
  private long pinnedBytes;
  private BytePointer planes = NativeScope.keep(new BytePointer());
  private long planeBytes;
  private BytePointer descriptors = NativeScope.keep(new BytePointer());
  private BytePointer hostDescriptors = NativeScope.keep(new BytePointer(0L));
  private FloatPointer tensor = NativeScope.keep(new FloatPointer());
  private long tensorFloats;
  private int capacity;
  /** nvjpegImage_t[capacity]: four channel pointers then four pitches per image, as 64-bit words. */
  private LongPointer imageWords;
  /** The bitstream pointers nvjpegDecodeBatched reads, as 64-bit words. */
  private LongPointer bitstreamWords;
  private SizeTPointer lengths;

  private NvJpegDecoder(InputSpec spec, int backend, String description, CUstream_st stream,
      CUevent_st done, nvjpegHandle handle, nvjpegJpegState state, CUmod_st module,
      CUfunc_st kernel) {
    this.spec = spec;
    this.backend = backend;
    this.description = description;
    this.stream = stream;
    this.done = done;
    this.handle = handle;
    this.state = state;
    this.module = module;
    this.kernel = kernel;
  }

  /**
   * Starts nvJPEG with {@code backend} (an {@code NVJPEG_BACKEND_*} value) on device 0 and compiles
   * the kernel for it.
   *
   * @throws GpuUnavailableException when the libraries, the device or a CUDA call is missing or
   *     fails, naming which
   */
  static NvJpegDecoder open(InputSpec spec, int backend) {
    try {
      int[] count = new int[1];
      check(cudaGetDeviceCount(count), "cudaGetDeviceCount");
      if (count[0] <= 0) {
        throw new GpuUnavailableException("no CUDA device is visible for nvJPEG");
      }
      check(cudaSetDevice(0), "cudaSetDevice");
      check(cudaFree(null), "cudaFree(null) (context start)");
      checkDriver(cuInit(0), "cuInit");
      CUctx_st ctx = new CUctx_st();
      checkDriver(cuCtxGetCurrent(ctx), "cuCtxGetCurrent");
      int[] major = new int[1];
      int[] minor = new int[1];
      check(cudaDeviceGetAttribute(major, cudaDevAttrComputeCapabilityMajor, 0), "compute capability");
      check(cudaDeviceGetAttribute(minor, cudaDevAttrComputeCapabilityMinor, 0), "compute capability");
      CUstream_st stream = NativeScope.keep(new CUstream_st());
      check(cudaStreamCreate(stream), "cudaStreamCreate");
      CUevent_st done = NativeScope.keep(new CUevent_st());
      check(cudaEventCreateWithFlags(done, cudaEventBlockingSync | cudaEventDisableTiming),
          "cudaEventCreateWithFlags");
      nvjpegHandle handle = NativeScope.keep(new nvjpegHandle());
      checkJpeg(nvjpegCreateEx(backend, null, null, 0, handle), "nvjpegCreateEx(backend " + backend + ")");
      nvjpegJpegState state = NativeScope.keep(new nvjpegJpegState());
      checkJpeg(nvjpegJpegStateCreate(handle, state), "nvjpegJpegStateCreate");
      BytePointer ptx = compile(major[0] * 10 + minor[0]);
      CUmod_st module = NativeScope.keep(new CUmod_st());
      checkDriver(cuModuleLoadData(module, ptx), "cuModuleLoadData");
      CUfunc_st kernel = NativeScope.keep(new CUfunc_st());
      checkDriver(cuModuleGetFunction(kernel, module, "fc_letterbox_batch"), "cuModuleGetFunction");
      String description = "nvJPEG backend " + backend + " on sm_" + major[0] + minor[0];
      return new NvJpegDecoder(spec, backend, description, stream, done, handle, state, module,
          kernel);
    } catch (LinkageError e) {
      throw new GpuUnavailableException("nvJPEG cannot be loaded (org.bytedeco:cuda and the CUDA 13"
          + " runtime, nvJPEG and NVRTC libraries are needed): " + e, e);
    }
  }

  @Override
  public int backend() {
    return backend;
  }

  @Override
  public String description() {
    return description;
  }

  /** NVRTC-compiled PTX of letterbox.cu for compute capability {@code cc}. */
  private static BytePointer compile(int cc) {
    String source;
    try (InputStream in = NvJpegDecoder.class.getResourceAsStream("letterbox.cu")) {
      if (in == null) {
        throw new GpuUnavailableException("the jar has no org/framecodec/detect/letterbox.cu");
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GpuUnavailableException("cannot read letterbox.cu: " + e, e);
    }
    try (PointerScope scope = new PointerScope()) {
      _nvrtcProgram program = new _nvrtcProgram();
      checkRtc(nvrtc.nvrtcCreateProgram(program, new BytePointer(source), new BytePointer("letterbox.cu"),
          0, (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram");
      PointerPointer<BytePointer> options = new PointerPointer<>(
          new BytePointer("--gpu-architecture=compute_" + cc), new BytePointer("--use_fast_math"));
      int compiled = nvrtc.nvrtcCompileProgram(program, 2, options);
      if (compiled != 0) {
        SizeTPointer logSize = new SizeTPointer(1);
        nvrtc.nvrtcGetProgramLogSize(program, logSize);
        BytePointer log = new BytePointer(logSize.get());
        nvrtc.nvrtcGetProgramLog(program, log);
        throw new GpuUnavailableException("NVRTC failed to compile letterbox.cu: " + log.getString());
      }
      SizeTPointer size = new SizeTPointer(1);
      checkRtc(nvrtc.nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize");
      BytePointer ptx = NativeScope.keep(new BytePointer(size.get()));
      checkRtc(nvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
      nvrtc.nvrtcDestroyProgram(program);
      return ptx;
    }
  }

  /**
   * Decodes items {@code [0, count)} of {@code frames} (whose headers the caller has read into
   * {@code infos}) and writes them into the first {@code count} slots from {@code host}'s position
   * on, a tensor of {@code spec.floatsPerImage()} floats per slot; sets
   * {@code placements[at .. at + count)}.
   *
   * @throws GpuDecodeException when nvJPEG or CUDA fails; the caller decodes those frames on the CPU
   */
  @Override
  public void decode(EncodedFrame[] frames, JpegInfo[] infos, int count, FloatPointer host,
      Letterbox[] placements, int at) {
    boolean hostTooSmall = host.limit() > 0
        && host.limit() - host.position() < (long) count * spec.floatsPerImage();
    if (count < 1 || count > frames.length || count > infos.length
        || at < 0 || at > placements.length - count || hostTooSmall) {
      throw new IllegalArgumentException("bad GPU decode block: " + count + " frames at " + at
          + " of " + placements.length);
    }
    ensureCapacity(frames, infos, count);
    long offset = 0;
    long planeOffset = 0;
    for (int i = 0; i < count; i++) {
      EncodedFrame f = frames[i];
      int n = f.payloadLength();
      pinned.position(offset).put(f.payloadArray(), f.payloadOffset(), n);
      bitstreamWords.put(i, pinned.address() + offset);
      lengths.put(i, n);
      offset += n;
      int w = infos[i].width();
      int h = infos[i].height();
      long planeSize = (long) w * h;
      long base = planes.address() + planeOffset;
      for (int c = 0; c < 4; c++) {
        imageWords.put(8L * i + c, c < 3 ? base + c * planeSize : 0L);
        imageWords.put(8L * i + 4 + c, c < 3 ? w : 0L);
      }
      Letterbox lb = Letterbox.of(w, h, spec);
      placements[at + i] = lb;
      long d = (long) i * IMAGE_BYTES;
      hostDescriptors.position(0);
      hostDescriptors.putLong(d, base);
      hostDescriptors.putLong(d + 8, base + planeSize);
      hostDescriptors.putLong(d + 16, base + 2 * planeSize);
      hostDescriptors.putLong(d + 24, w);
      hostDescriptors.putInt(d + 32, w);
      hostDescriptors.putInt(d + 36, h);
      hostDescriptors.putInt(d + 40, lb.resizedWidth());
      hostDescriptors.putInt(d + 44, lb.resizedHeight());
      hostDescriptors.putInt(d + 48, lb.padX());
      hostDescriptors.putInt(d + 52, lb.padY());
      hostDescriptors.putInt(d + 56, f.mode() == JpegMode.CV2_YUV ? 1 : 0);
      hostDescriptors.putInt(d + 60, 0);
      planeOffset += 3 * planeSize;
    }
    if (initialisedBatch != count) {
      checkJpeg(nvjpegDecodeBatchedInitialize(handle, state, count, 1, NVJPEG_OUTPUT_BGR),
          "nvjpegDecodeBatchedInitialize(" + count + ")");
      initialisedBatch = count;
    }
    checkJpeg(nvjpegDecodeBatched(handle, state, new PointerPointer<BytePointer>(bitstreamWords),
        lengths.position(0), new nvjpegImage_t(imageWords), stream), "nvjpegDecodeBatched(" + count + ")");
    check(cudaMemcpyAsync(descriptors, hostDescriptors.position(0), (long) count * IMAGE_BYTES,
        cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync(descriptors)");
    launch(count);
    long floats = (long) count * spec.floatsPerImage();
    check(cudaMemcpyAsync(host, tensor, floats * Float.BYTES, cudaMemcpyDeviceToHost,
        stream), "cudaMemcpyAsync(tensor)");
    check(cudaEventRecord(done, stream), "cudaEventRecord");
    check(cudaEventSynchronize(done), "cudaEventSynchronize");
  }

  @Override
  public boolean pin(Pointer memory, long bytes) {
    return pinHost(memory, bytes);
  }

  @Override
  public void unpin(Pointer memory) {
    unpinHost(memory);
  }

  /**
   * Page-locks {@code bytes} of host memory at {@code memory} for the device's DMA engines (a
   * tensor the decoder copies into, and the model's input); false if CUDA refuses (a locked-memory
   * limit, say), in which case copies into it still work, staged and slower. Each success must be
   * undone by {@link #unpinHost} before the memory is freed.
   */
  static boolean pinHost(Pointer memory, long bytes) {
    if (bytes <= 0 || cudaHostRegister(memory, bytes, cudaHostRegisterDefault) == 0) {
      return bytes > 0;
    }
    cudaGetLastError(); // a refused registration must not be reported by the next call
    return false;
  }

  /** Undoes {@link #pinHost}; errors are ignored, as the memory is about to be freed anyway. */
  static void unpinHost(Pointer memory) {
    if (cudaHostUnregister(memory) != 0) {
      cudaGetLastError();
    }
  }

  private void launch(int count) {
    float[] mean = spec.mean();
    float[] scale = spec.scale();
    int plane = spec.width() * spec.height();
    try (PointerScope scope = new PointerScope()) {
      PointerPointer<Pointer> args = new PointerPointer<>(
          new LongPointer(1).put(descriptors.address()),
          new LongPointer(1).put(tensor.address()),
          new IntPointer(1).put(spec.width()),
          new IntPointer(1).put(spec.height()),
          new IntPointer(1).put(spec.layout() == TensorLayout.NCHW ? 1 : 0),
          new IntPointer(1).put(spec.channelOrder() == org.framecodec.frames.PixelFormat.RGB ? 1 : 0),
          new FloatPointer(1).put(mean[0]), new FloatPointer(1).put(mean[1]),
          new FloatPointer(1).put(mean[2]), new FloatPointer(1).put(scale[0]),
          new FloatPointer(1).put(scale[1]), new FloatPointer(1).put(scale[2]),
          new FloatPointer(1).put((float) spec.padValue()));
      int blocks = (plane + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK;
      checkDriver(cuLaunchKernel(kernel, blocks, count, 1, THREADS_PER_BLOCK, 1, 1, 0, stream,
          args, null), "cuLaunchKernel");
    }
  }

  /** Grows the pinned, device and descriptor memory for this batch; bounded by the caller's limits. */
  private void ensureCapacity(EncodedFrame[] frames, JpegInfo[] infos, int count) {
    long bits = 0;
    long pixels = 0;
    for (int i = 0; i < count; i++) {
      bits += frames[i].payloadLength();
      pixels += 3L * infos[i].width() * infos[i].height();
    }
    if (bits > pinnedBytes) {
      cudaFreeHost(pinned);
      pinned = NativeScope.keep(new BytePointer());
      pinnedBytes = 0;
      check(cudaMallocHost(pinned, bits), "cudaMallocHost(" + bits + ")");
      pinned.capacity(bits);
      pinnedBytes = bits;
    }
    if (pixels > planeBytes) {
      cudaFree(planes);
      planes = NativeScope.keep(new BytePointer());
      planeBytes = 0;
      check(cudaMalloc(planes, pixels), "cudaMalloc(planes " + pixels + ")");
      planes.capacity(pixels);
      planeBytes = pixels;
    }
    long floats = (long) count * spec.floatsPerImage();
    if (floats > tensorFloats) {
      cudaFree(tensor);
      tensor = NativeScope.keep(new FloatPointer());
      tensorFloats = 0;
      check(cudaMalloc(tensor, floats * Float.BYTES), "cudaMalloc(tensor)");
      tensorFloats = floats;
    }
    if (count > capacity) {
      cudaFree(descriptors);
      descriptors = NativeScope.keep(new BytePointer());
      check(cudaMalloc(descriptors, (long) count * IMAGE_BYTES), "cudaMalloc(descriptors)");
      hostDescriptors.deallocate();
      hostDescriptors = NativeScope.keep(new BytePointer((long) count * IMAGE_BYTES));
      if (imageWords != null) {
        imageWords.deallocate();
        bitstreamWords.deallocate();
        lengths.deallocate();
      }
      imageWords = NativeScope.keep(new LongPointer(8L * count));
      bitstreamWords = NativeScope.keep(new LongPointer(count));
      lengths = NativeScope.keep(new SizeTPointer(count));
      capacity = count;
    }
  }

  private static void check(int status, String what) {
    if (status != 0) {
      BytePointer text = cudaGetErrorString(status);
      throw new GpuDecodeException(what + " failed: CUDA error " + status
          + (text == null ? "" : " (" + text.getString() + ")"));
    }
  }

  private static void checkDriver(int status, String what) {
    if (status != 0) {
      String text = "";
      try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
        if (cuGetErrorString(status, out) == 0) {
          BytePointer msg = out.get(BytePointer.class, 0);
          text = msg == null || msg.isNull() ? "" : " (" + msg.getString() + ")";
        }
      }
      throw new GpuDecodeException(what + " failed: CUDA driver error " + status + text);
    }
  }

  private static void checkJpeg(int status, String what) {
    if (status != 0) {
      throw new GpuDecodeException(what + " failed: nvJPEG status " + status);
    }
  }

  private static void checkRtc(int status, String what) {
    if (status != 0) {
      throw new GpuUnavailableException(what + " failed: NVRTC status " + status);
    }
  }

  @Override
  public void close() {
    nvjpegJpegStateDestroy(state);
    nvjpegDestroy(handle);
    cuModuleUnload(module);
    cudaFreeHost(pinned);
    cudaFree(planes);
    cudaFree(tensor);
    cudaFree(descriptors);
    cudaEventDestroy(done);
    cudaStreamDestroy(stream);
    hostDescriptors.deallocate();
    if (imageWords != null) {
      imageWords.deallocate();
      bitstreamWords.deallocate();
      lengths.deallocate();
    }
  }

  /** A CUDA or nvJPEG call failed while decoding; the frames can still be decoded on the CPU. */
  static final class GpuDecodeException extends DetectorException {
    private static final long serialVersionUID = 1L;

    GpuDecodeException(String message) {
      super(message);
    }
  }
}
