package org.framecodec.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * MediaPipe BlazeFace short-range ("front", 128x128) and full-range ("back", 256x256) face
 * detectors: SSD anchors, sigmoid scores, a box and six landmarks per anchor.
 *
 * <p>Both models see the input through two anchor grids: 16x16 cells with 2 anchors each, then
 * 8x8 cells with 6 anchors each, 896 anchors in all, ordered grid by grid, row by row, cell by
 * cell. An anchor's centre is its cell's centre; anchors have unit size, so regressors are plain
 * input pixels:
 *
 * <pre>
 * scores     [N, 512, 1] + [N, 384, 1]   (or one [N, 896, 1])   logits
 * regressors [N, 512, 16] + [N, 384, 16] (or one [N, 896, 16])
 *            dx dy w h  kx0 ky0 ... kx5 ky5
 * box centre = anchor centre + (dx, dy); size = (w, h); keypoint k = anchor centre + (kxk, kyk)
 * </pre>
 *
 * This layout was checked against the models on the astronaut portrait (docs/detector.md): the
 * box found in the mirrored image, mirrored back, lands within 0.5 px of the original (anchor
 * centres at cell corners would put it 32 px off), the best anchors of four neighbouring cells
 * agree within 6 px, and the landmarks sit on the eyes, nose, mouth and ears. Outputs are told
 * apart by shape, not by name or order, because exporters name and order them differently.
 *
 * <p>Scores are {@code sigmoid(clamp(logit, -100, 100))}, the clamp MediaPipe applies. The class
 * id is always 0. Immutable and thread-safe.
 */
public final class BlazeFaceHead implements OutputHead {
  /** Landmarks per face. */
  public static final int KEYPOINTS = 6;
  private static final int REGRESSORS = 4 + 2 * KEYPOINTS;
  private static final float LOGIT_CLIP = 100f;
  /** Cells per side and anchors per cell of each anchor grid, in output order. */
  private static final int[][] GRIDS = {{16, 2}, {8, 6}};

  private static final BlazeFaceHead INSTANCE = new BlazeFaceHead();

  private BlazeFaceHead() {}

  /** {@return the head for both BlazeFace models; the anchor centres follow the input size} */
  public static BlazeFaceHead create() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "blazeface";
  }

  @Override
  public InputSpec defaultInput(int width, int height, TensorLayout layout) {
    if (width != height) {
      throw new ModelMismatchException("BlazeFace models take square inputs, got " + width + "x" + height);
    }
    return InputSpec.blazeFace(width).toBuilder().layout(layout).build();
  }

  /** Score 0.5, IoU 0.3 (MediaPipe's face detection graph), at most 100 faces. */
  @Override
  public NmsOptions defaultNms() {
    return new NmsOptions(0.5f, 0.3f, 100);
  }

  /** The 896 anchor centres for an input of this size, as {x0, y0, x1, y1, ...} in input pixels. */
  static float[] anchorCentres(int inputWidth, int inputHeight) {
    int total = anchorCount();
    float[] c = new float[2 * total];
    int i = 0;
    for (int[] g : GRIDS) {
      int cells = g[0];
      for (int y = 0; y < cells; y++) {
        for (int x = 0; x < cells; x++) {
          for (int a = 0; a < g[1]; a++) {
            c[i++] = (x + 0.5f) / cells * inputWidth;
            c[i++] = (y + 0.5f) / cells * inputHeight;
          }
        }
      }
    }
    return c;
  }

  static int anchorCount() {
    int n = 0;
    for (int[] g : GRIDS) {
      n += g[0] * g[0] * g[1];
    }
    return n;
  }

  @Override
  public OutputDecoder bind(List<Tensor> outputs, InputSpec input) {
    int[] counts = new int[GRIDS.length];
    for (int i = 0; i < GRIDS.length; i++) {
      counts[i] = GRIDS[i][0] * GRIDS[i][0] * GRIDS[i][1];
    }
    int[] scores = pick(outputs, 1, counts);
    int[] regressors = pick(outputs, REGRESSORS, counts);
    if (scores == null || regressors == null || scores.length != regressors.length) {
      throw new ModelMismatchException("the blazeface head expects scores [N, 512, 1] and [N, 384, 1] "
          + "(or [N, 896, 1]) and regressors [N, 512, 16] and [N, 384, 16] (or [N, 896, 16]) for a "
          + input.width() + "x" + input.height() + " input; the model outputs "
          + Tensor.shapes(outputs));
    }
    return new Decoder(scores, regressors, anchorCentres(input.width(), input.height()));
  }

  /**
   * Indices of the outputs with last dimension {@code columns} in anchor order: one output holding
   * all anchors, or one per grid matched by its anchor count; null when neither fits.
   */
  private static int[] pick(List<Tensor> outputs, int columns, int[] counts) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      Tensor t = outputs.get(i);
      if (t.rank() == 3 && t.dim(2) == columns) {
        found.add(i);
      }
    }
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    if (found.size() == 1 && outputs.get(found.get(0)).dim(1) == total) {
      return new int[] {found.get(0)};
    }
    if (found.size() != counts.length) {
      return null;
    }
    int[] order = new int[counts.length];
    for (int g = 0; g < counts.length; g++) {
      order[g] = -1;
      for (int idx : found) {
        if (outputs.get(idx).dim(1) == counts[g] && !contains(order, idx, g)) {
          order[g] = idx;
          break;
        }
      }
      if (order[g] < 0) {
        return null;
      }
    }
    return order;
  }

  private static boolean contains(int[] a, int v, int upTo) {
    for (int i = 0; i < upTo; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static final class Decoder implements OutputDecoder {
    private final int[] scoreOutputs;
    private final int[] regressorOutputs;
    private final float[] anchors;

    Decoder(int[] scoreOutputs, int[] regressorOutputs, float[] anchors) {
      this.scoreOutputs = scoreOutputs;
      this.regressorOutputs = regressorOutputs;
      this.anchors = anchors;
    }

    @Override
    public void decode(List<Tensor> outputs, int item, float minScore, List<Detection> out) {
      int anchor = 0;
      for (int part = 0; part < scoreOutputs.length; part++) {
        Tensor s = outputs.get(scoreOutputs[part]);
        Tensor r = outputs.get(regressorOutputs[part]);
        int rows = s.dim(1);
        int sBase = item * rows;
        int rBase = item * rows * REGRESSORS;
        for (int i = 0; i < rows; i++, anchor++) {
          float logit = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, s.get(sBase + i)));
          float score = (float) (1.0 / (1.0 + Math.exp(-logit)));
          if (!(score >= minScore)) {
            continue;
          }
          float ax = anchors[2 * anchor];
          float ay = anchors[2 * anchor + 1];
          int o = rBase + i * REGRESSORS;
          Box box = Box.ofCenter(ax + r.get(o), ay + r.get(o + 1), r.get(o + 2), r.get(o + 3));
          List<Keypoint> kps = new ArrayList<>(KEYPOINTS);
          for (int k = 0; k < KEYPOINTS; k++) {
            kps.add(new Keypoint(ax + r.get(o + 4 + 2 * k), ay + r.get(o + 5 + 2 * k)));
          }
          out.add(new Detection(box, score, 0, kps));
        }
      }
    }
  }
}
