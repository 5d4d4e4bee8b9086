package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** YOLOv5 decoding and NMS on hand-built output tensors whose answers are worked out below. */
class YoloV5HeadTest {
  static final InputSpec INPUT = InputSpec.yoloV5(640, 640);
  static final int COLS = 5 + 3;

  /**
   * Six rows, three classes. Scores are objectness x best class probability:
   *
   * <pre>
   * row  cx  cy  w  h  obj  p0   p1   p2          class  score       fate at score 0.25, IoU 0.45
   * 0   100 100 50 50 0.9  0.9  0.1  0.0          0      0.81        kept
   * 1   105 100 50 50 0.8  0.8  0.2  0.1          0      0.64        IoU with row 0 = 2250/2750 = 0.818: suppressed
   * 2   100 100 50 50 0.9  0.1  0.7  0.0          1      0.63        same box as row 0, other class: kept
   * 3   300 300 40 40 0.5  0.0  0.0  0.5          2      0.25        exactly the threshold: kept
   * 4   400 400 40 40 0.5  0.0  0.0  0.49999997   2      0.24999999  just below: dropped
   * 5   500 500 50 50 0.2  1.0  0.0  0.0          0      0.2         objectness below: dropped
   * </pre>
   */
  static float[] rows() {
    return new float[] {
      100, 100, 50, 50, 0.9f, 0.9f, 0.1f, 0.0f,
      105, 100, 50, 50, 0.8f, 0.8f, 0.2f, 0.1f,
      100, 100, 50, 50, 0.9f, 0.1f, 0.7f, 0.0f,
      300, 300, 40, 40, 0.5f, 0.0f, 0.0f, 0.5f,
      400, 400, 40, 40, 0.5f, 0.0f, 0.0f, 0.49999997f,
      500, 500, 50, 50, 0.2f, 1.0f, 0.0f, 0.0f,
    };
  }

  static List<Detection> run(Tensor t, int item, NmsOptions nms) {
    OutputDecoder d = YoloV5Head.create().bind(List.of(t), INPUT);
    List<Detection> candidates = new ArrayList<>();
    d.decode(List.of(t), item, nms.scoreThreshold(), candidates);
    return Nms.apply(candidates, nms);
  }

  @Test
  void decodesScoresClassesAndBoxes() {
    List<Detection> out = run(Tensor.of(rows(), 1, 6, COLS), 0, YoloV5Head.create().defaultNms());

    assertEquals(3, out.size(), out::toString);
    assertDetection(out.get(0), 0, 0.81f, new Box(75, 75, 125, 125));
    assertDetection(out.get(1), 1, 0.63f, new Box(75, 75, 125, 125));
    assertDetection(out.get(2), 2, 0.25f, new Box(280, 280, 320, 320));
  }

  @Test
  void scoreThresholdIsInclusive() {
    List<Detection> candidates = new ArrayList<>();
    Tensor t = Tensor.of(rows(), 1, 6, COLS);
    YoloV5Head.create().bind(List.of(t), INPUT).decode(List.of(t), 0, 0.25f, candidates);
    // Rows 0-3 reach 0.25 before NMS; row 4 (0.24999999) and row 5 (0.2) do not.
    assertEquals(4, candidates.size(), candidates::toString);
    assertEquals(0.25f, candidates.get(3).score());
  }

  @Test
  void iouThresholdEdges() {
    Tensor t = Tensor.of(rows(), 1, 6, COLS);
    // Rows 0 and 1 overlap at IoU 0.818: kept at 0.82, suppressed at 0.81.
    assertEquals(4, run(t, 0, new NmsOptions(0.25f, 0.82f, 300)).size());
    assertEquals(3, run(t, 0, new NmsOptions(0.25f, 0.81f, 300)).size());
  }

  @Test
  void maxDetectionsKeepsTheBest() {
    List<Detection> out = run(Tensor.of(rows(), 1, 6, COLS), 0, new NmsOptions(0.25f, 0.45f, 2));
    assertEquals(2, out.size());
    assertEquals(0.81f, out.get(0).score(), 1e-6f);
    assertEquals(0.63f, out.get(1).score(), 1e-6f);
  }

  @Test
  void readsTheRequestedBatchItem() {
    float[] two = new float[2 * 6 * COLS];
    float[] second = {
      320, 320, 64, 32, 1.0f, 0.0f, 0.0f, 1.0f,
    };
    System.arraycopy(second, 0, two, 6 * COLS, COLS);
    Tensor t = Tensor.of(two, 2, 6, COLS);
    assertEquals(0, run(t, 0, YoloV5Head.create().defaultNms()).size());
    List<Detection> out = run(t, 1, YoloV5Head.create().defaultNms());
    assertEquals(1, out.size());
    assertDetection(out.get(0), 2, 1.0f, new Box(288, 304, 352, 336));
  }

  @Test
  void tiedClassProbabilitiesPickTheFirstClass() {
    Tensor t = Tensor.of(new float[] {10, 10, 4, 4, 1f, 0.5f, 0.5f, 0.5f}, 1, 1, COLS);
    assertEquals(0, run(t, 0, YoloV5Head.create().defaultNms()).get(0).classId());
  }

  @Test
  void letterboxUndoMapsInputPixelsToTheFrame() {
    // 1280x720 into 640x640: scale 0.5, resized 640x360, 140 rows of padding above.
    Letterbox lb = Letterbox.of(1280, 720, INPUT);
    assertEquals(new Letterbox(640, 360, 0, 140, 0.5, 0.5), lb);
    Detection inInput = new Detection(Box.ofCenter(320, 320, 100, 50), 0.9f, 3);
    Detection inFrame = lb.toFrame(inInput, 1280, 720);
    assertEquals(new Box(540, 310, 740, 410), inFrame.box());
    // A box running into the padding is clipped to the frame.
    Detection edge = lb.toFrame(new Detection(new Box(600, 100, 700, 200), 0.9f, 0), 1280, 720);
    assertEquals(new Box(1200, 0, 1280, 120), edge.box());
  }

  @Test
  void bindRejectsOutputsThatAreNotYoloV5() {
    Tensor scores = Tensor.of(new float[512], 1, 512, 1);
    Tensor regs512 = Tensor.of(new float[512 * 16], 1, 512, 16);
    Tensor regs384 = Tensor.of(new float[384 * 16], 1, 384, 16);
    ModelMismatchException e = assertThrows(ModelMismatchException.class,
        () -> YoloV5Head.create().bind(List.of(scores, regs512, regs384), INPUT));
    assertTrue(e.getMessage().contains("[1, 512, 16]") && e.getMessage().contains("yolov5"), e.getMessage());

    Tensor t = Tensor.of(rows(), 1, 6, COLS);
    e = assertThrows(ModelMismatchException.class, () -> YoloV5Head.withClasses(80).bind(List.of(t), INPUT));
    assertTrue(e.getMessage().contains("[N, rows, 85]") && e.getMessage().contains("[1, 6, 8]"), e.getMessage());
    assertEquals(3, run(t, 0, YoloV5Head.create().defaultNms()).size());
    YoloV5Head.withClasses(3).bind(List.of(t), INPUT);
    assertThrows(IllegalArgumentException.class, () -> YoloV5Head.withClasses(0));
  }

  @Test
  void rejectsOutputsThatAreNotProbabilities() {
    Tensor t = Tensor.of(new float[] {10, 10, 4, 4, 3.2f, 0.5f, 0.5f, 0.5f}, 1, 1, COLS);
    ModelMismatchException e = assertThrows(ModelMismatchException.class,
        () -> run(t, 0, YoloV5Head.create().defaultNms()));
    assertTrue(e.getMessage().contains("objectness 3.2 in row 0"), e.getMessage());
  }

  static void assertDetection(Detection d, int cls, float score, Box box) {
    assertEquals(cls, d.classId(), d::toString);
    assertEquals(score, d.score(), 1e-6f, d::toString);
    assertEquals(box, d.box());
    assertTrue(d.keypoints().isEmpty());
  }
}
