package org.framecodec.detect;

import java.util.List;

/**
 * Ultralytics YOLOv5 ONNX exports: one output of candidate rows, already decoded by the model.
 *
 * <pre>
 * output [N, rows, 5 + classes]   (rows = 25200 for a 640x640 input)
 * row    cx cy w h  objectness  p(class 0) ... p(class C-1)     box in input pixels, probabilities
 * in [0, 1]
 * score  = objectness * max_c p(class c),  class = the first c reaching that maximum
 * </pre>
 *
 * One label per row (YOLOv5's default, not its {@code multi_label} mode). Rows whose objectness
 * is already below the score threshold are skipped unread, since the score cannot exceed it.
 * A probability outside [0, 1] means the model's output is not sigmoid-activated, and raises
 * {@link ModelMismatchException}. Immutable and thread-safe.
 */
public final class YoloV5Head implements OutputHead {
  private final int classes;

  private YoloV5Head(int classes) {
    this.classes = classes;
  }

  /** {@return a head that takes the number of classes from the model's output width} */
  public static YoloV5Head create() {
    return new YoloV5Head(0);
  }

  /**
   * {@return a head for a model with exactly {@code classes} classes (80 for the COCO models)}
   *
   * @param classes number of classes
   */
  public static YoloV5Head withClasses(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("a YOLOv5 model has at least 1 class, got " + classes);
    }
    return new YoloV5Head(classes);
  }

  @Override
  public String name() {
    return "yolov5";
  }

  @Override
  public InputSpec defaultInput(int width, int height, TensorLayout layout) {
    return InputSpec.yoloV5(width, height).toBuilder().layout(layout).build();
  }

  /** Score 0.25, IoU 0.45, at most 300: the defaults of YOLOv5's {@code detect.py}. */
  @Override
  public NmsOptions defaultNms() {
    return new NmsOptions(0.25f, 0.45f, 300);
  }

  @Override
  public OutputDecoder bind(List<Tensor> outputs, InputSpec input) {
    int found = -1;
    int count = 0;
    for (int i = 0; i < outputs.size(); i++) {
      Tensor t = outputs.get(i);
      if (t.rank() == 3 && t.dim(1) > 0 && (classes > 0 ? t.dim(2) == 5 + classes : t.dim(2) >= 6)) {
        found = i;
        count++;
      }
    }
    if (count != 1) {
      String want = classes > 0 ? "[N, rows, " + (5 + classes) + "] (5 + " + classes + " classes)"
          : "[N, rows, 5 + classes] with at least 1 class";
      throw new ModelMismatchException("the yolov5 head expects exactly one output " + want
          + "; the model has " + (count == 0 ? "none" : count) + " such among its outputs "
          + Tensor.shapes(outputs));
    }
    return new Decoder(found);
  }

  private static final class Decoder implements OutputDecoder {
    private final int output;

    Decoder(int output) {
      this.output = output;
    }

    @Override
    public void decode(List<Tensor> outputs, int item, float minScore, List<Detection> out) {
      Tensor t = outputs.get(output);
      int rows = t.dim(1);
      int cols = t.dim(2);
      int base = item * rows * cols;
      for (int r = 0; r < rows; r++) {
        int o = base + r * cols;
        float objectness = probability(t, o + 4, r, -1);
        if (!(objectness >= minScore)) {
          continue;
        }
        int best = 0;
        float bestP = probability(t, o + 5, r, 0);
        for (int c = 1; c < cols - 5; c++) {
          float p = probability(t, o + 5 + c, r, c);
          if (p > bestP) {
            bestP = p;
            best = c;
          }
        }
        float score = objectness * bestP;
        if (score >= minScore) {
          out.add(new Detection(Box.ofCenter(t.get(o), t.get(o + 1), t.get(o + 2), t.get(o + 3)),
              score, best));
        }
      }
    }

    /** Element {@code index}, checked to be a probability; {@code cls} is -1 for objectness. */
    private static float probability(Tensor t, int index, int row, int cls) {
      float v = t.get(index);
      if (!(v >= 0f && v <= 1f)) {
        String what = cls < 0 ? "objectness" : "class " + cls + " probability";
        throw new ModelMismatchException("yolov5 head: " + what + " " + v + " in row " + row
            + " is outside [0, 1]; the model's output is not sigmoid-activated");
      }
      return v;
    }
  }
}
