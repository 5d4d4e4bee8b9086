package org.framecodec.detect;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.framecodec.natives.NativeScope;

/**
 * One in-flight chunk of the {@link DetectorPipeline}: the input tensor its frames are written
 * into, a copy of the model's outputs for them, and where each frame landed. A pipeline owns a
 * few slots and cycles them (fill, infer, post-process, free), so that filling one overlaps
 * running another.
 *
 * <p>The input tensor is native memory (kept out of callers' {@code PointerScope}s) that grows to
 * the largest chunk seen and is freed by {@link #close()}; the output copies are heap arrays that
 * grow likewise. Nothing is allocated per frame once they have grown. With a GPU lane the tensor
 * is page-locked while it lives ({@link GpuDecodeLane#pin}), for the lane's copies into it. A slot is used by one chunk
 * at a time: the pipeline's hand-offs (queues) order every access, and each worker writes only
 * the frames it claimed.
 */
final class PipelineSlot implements AutoCloseable {
  private final InputSpec spec;
  private final int floatsPerImage;
  /** Page-locks the tensor for the GPU lane; null without one. */
  private final GpuDecodeLane pins;
  private FloatPointer memory = NativeScope.keep(new FloatPointer(0L));
  private FloatBuffer tensor;
  private int capacity;
  private float[][] outputs = new float[0][];
  private int[][] outputShapes = new int[0][];
  private int outputCount;

  /** The chunk now in this slot: items [from, from + size) of the request. */
  DetectionRequest request;
  int from;
  int size;
  Letterbox[] placements = new Letterbox[0];
  int[] frameWidths = new int[0];
  int[] frameHeights = new int[0];

  PipelineSlot(InputSpec spec) {
    this(spec, null);
  }

  /** A slot whose tensor {@code pins} page-locks (null: none). */
  PipelineSlot(InputSpec spec, GpuDecodeLane pins) {
    this.spec = spec;
    this.floatsPerImage = spec.floatsPerImage();
    this.pins = pins;
  }

  /** Takes a chunk; grows the tensor and the per-frame arrays when it is the largest yet. */
  void load(DetectionRequest request, int from, int size) {
    if (size > capacity) {
      free();
      memory = NativeScope.keep(new FloatPointer((long) size * floatsPerImage));
      if (pins != null) {
        pins.pin(memory.position(0), (long) size * floatsPerImage * Float.BYTES);
      }
      tensor = memory.position(0).limit((long) size * floatsPerImage).asBuffer();
      placements = new Letterbox[size];
      frameWidths = new int[size];
      frameHeights = new int[size];
      capacity = size;
    }
    this.request = request;
    this.from = from;
    this.size = size;
  }

  /** Sets the whole input tensor to 0 (for probe passes, which read it before any frame is written). */
  void zero() {
    memory.position(0).zero();
  }

  /** The input tensor: {@code capacity * floatsPerImage} floats, slot {@code i} at {@code i * floatsPerImage}. */
  FloatBuffer tensor() {
    return tensor;
  }

  /**
   * A view of the input tensor's memory from item {@code i} on, for a device-to-host copy of items
   * {@code [i, ...)}. A view, so the tensor's own position is left alone and lane threads filling
   * different items of one chunk may each take one.
   */
  FloatPointer memoryAt(int i) {
    FloatPointer view = new FloatPointer(memory);
    return view.position((long) i * floatsPerImage);
  }

  /** A header over the first {@code n} images, shaped as the spec's layout. */
  Mat batch(int n) {
    return new Mat(spec.tensorShape(n), CV_32F, memory.position(0));
  }

  /** A batch-of-one header over image {@code i}. */
  Mat single(int i) {
    return new Mat(spec.tensorShape(1), CV_32F, memory.position((long) i * floatsPerImage));
  }

  /**
   * Copies the outputs of a forward pass over {@code count} images, which are items
   * {@code [at, at + count)} of this chunk, out of the engine's memory (valid only until its next
   * pass) into this slot's arrays, shaped with the chunk's size as the batch dimension.
   */
  void copyOutputs(List<Tensor> outs, int at, int count) {
    if (outputs.length < outs.size()) {
      outputs = java.util.Arrays.copyOf(outputs, outs.size());
      outputShapes = java.util.Arrays.copyOf(outputShapes, outs.size());
    }
    outputCount = outs.size();
    for (int k = 0; k < outs.size(); k++) {
      Tensor t = outs.get(k);
      int perItem = t.size() / Math.max(1, count);
      int need = perItem * size;
      if (outputs[k] == null || outputs[k].length < need) {
        outputs[k] = new float[Math.max(need, perItem * capacity)];
      }
      int[] shape = t.shape();
      shape[0] = size;
      outputShapes[k] = shape;
      t.copyTo(outputs[k], perItem * at);
    }
  }

  /** Views of the copied outputs, for the head's decoder; valid until the slot takes another chunk. */
  List<Tensor> outputs() {
    List<Tensor> views = new ArrayList<>(outputCount);
    for (int k = 0; k < outputCount; k++) {
      int[] shape = outputShapes[k];
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      views.add(Tensor.of(FloatBuffer.wrap(outputs[k], 0, n), shape));
    }
    return views;
  }

  private void free() {
    if (pins != null) {
      pins.unpin(memory.position(0));
    }
    memory.deallocate();
  }

  @Override
  public void close() {
    free();
  }
}
