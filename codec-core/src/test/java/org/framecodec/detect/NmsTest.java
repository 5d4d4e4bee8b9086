package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
  // IoU(A, B) = 50 / 100 = 0.5 exactly, in float too.
  static final Box A = new Box(0, 0, 10, 10);
  static final Box B = new Box(0, 0, 10, 5);

  @Test
  void boxesAtExactlyTheIouThresholdBothSurvive() {
    assertEquals(0.5f, A.iou(B));
    List<Detection> in = List.of(new Detection(A, 0.9f, 0), new Detection(B, 0.8f, 0));
    assertEquals(2, Nms.apply(in, new NmsOptions(0f, 0.5f, 10)).size());
    List<Detection> out = Nms.apply(in, new NmsOptions(0f, 0.49f, 10));
    assertEquals(List.of(in.get(0)), out);
  }

  @Test
  void scoreThresholdIsInclusive() {
    List<Detection> in = List.of(new Detection(A, 0.3f, 0),
        new Detection(new Box(20, 20, 30, 30), Math.nextDown(0.3f), 0));
    assertEquals(List.of(in.get(0)), Nms.apply(in, new NmsOptions(0.3f, 0.5f, 10)));
  }

  @Test
  void classesDoNotSuppressEachOther() {
    List<Detection> in = List.of(new Detection(A, 0.9f, 0), new Detection(A, 0.8f, 1),
        new Detection(A, 0.7f, 0));
    assertEquals(List.of(in.get(0), in.get(1)), Nms.apply(in, new NmsOptions(0f, 0.5f, 10)));
  }

  @Test
  void iouZeroSuppressesAnyOverlapButNotTouchingBoxes() {
    Box touching = new Box(10, 0, 20, 10);
    Box overlapping = new Box(9, 0, 19, 10);
    List<Detection> in = List.of(new Detection(A, 0.9f, 0), new Detection(touching, 0.8f, 0),
        new Detection(overlapping, 0.7f, 0));
    assertEquals(List.of(in.get(0), in.get(1)), Nms.apply(in, new NmsOptions(0f, 0f, 10)));
  }

  @Test
  void iouOneSuppressesNothing() {
    List<Detection> in = List.of(new Detection(A, 0.9f, 0), new Detection(A, 0.8f, 0));
    assertEquals(in, Nms.apply(in, new NmsOptions(0f, 1f, 10)));
  }

  @Test
  void resultIsBestFirstCappedAndStableOnTies() {
    List<Detection> in = List.of(
        new Detection(new Box(0, 0, 1, 1), 0.5f, 0),
        new Detection(new Box(10, 0, 11, 1), 0.7f, 1),
        new Detection(new Box(20, 0, 21, 1), 0.5f, 2),
        new Detection(new Box(30, 0, 31, 1), 0.9f, 0));
    assertEquals(List.of(in.get(3), in.get(1), in.get(0), in.get(2)),
        Nms.apply(in, new NmsOptions(0f, 0.5f, 10)));
    assertEquals(List.of(in.get(3), in.get(1), in.get(0)), Nms.apply(in, new NmsOptions(0f, 0.5f, 3)));
    assertTrue(Nms.apply(List.of(), new NmsOptions(0f, 0.5f, 3)).isEmpty());
  }

  @Test
  void optionsRejectBadValuesNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NmsOptions(1.5f, 0.5f, 1));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new NmsOptions(0.5f, Float.NaN, 1));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new NmsOptions(0.5f, 0.5f, 0));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }
}
