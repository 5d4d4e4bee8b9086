package org.framecodec.bench.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianTakesTheMiddleOrTheMeanOfTheMiddleTwoAndLeavesTheInputAlone() {
    double[] odd = {5, 1, 3};
    assertEquals(3, Stats.median(odd));
    assertArrayEquals(new double[] {5, 1, 3}, odd);
    assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
    assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
  }

  @Test
  void percentileIsNearestRank() {
    double[] v = new double[100];
    for (int i = 0; i < v.length; i++) {
      v[i] = 100 - i; // 100 .. 1, unsorted
    }
    assertEquals(50, Stats.percentile(v, 50));
    assertEquals(99, Stats.percentile(v, 99));
    assertEquals(100, Stats.percentile(v, 100));
    assertEquals(1, Stats.percentile(v, 0));
    assertEquals(7, Stats.percentile(new double[] {7}, 99));
  }

  @Test
  void timingRunsTheWarmUpsUntimedAndTimesEachRep() {
    int[] calls = {0};
    double[] t = Timing.timesMs(3, 5, () -> ++calls[0]);
    assertEquals(8, calls[0]);
    assertEquals(5, t.length);
    for (double ms : t) {
      assertEquals(true, ms >= 0, String.valueOf(ms));
    }
    assertThrows(IllegalArgumentException.class, () -> Timing.timesMs(0, 0, () -> 0));
  }
}
