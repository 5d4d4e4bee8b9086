package org.framecodec.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsAreContiguousAndWithinOneThirtySecond() {
    long previousEdge = -1;
    for (int i = 0; i <= LatencyHistogram.index(Long.MAX_VALUE); i++) {
      long edge = LatencyHistogram.upperEdge(i);
      assertTrue(edge > previousEdge, "bucket " + i);
      long lower = previousEdge + 1;
      assertEquals(i, LatencyHistogram.index(lower), "lower edge of bucket " + i);
      assertEquals(i, LatencyHistogram.index(edge), "upper edge of bucket " + i);
      if (lower >= 64) {
        assertTrue((double) (edge - lower + 1) / lower <= 1.0 / 32, "bucket " + i + " too wide");
      }
      previousEdge = edge;
    }
    assertEquals(Long.MAX_VALUE, previousEdge, "the last bucket ends at Long.MAX_VALUE");
  }

  @Test
  void percentilesOfAKnownDistribution() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 1000; v++) {
      h.record(v * 1000L);
    }
    assertEquals(1000, h.count());
    assertEquals(500_000, h.percentile(50), 500_000 / 32.0);
    assertEquals(990_000, h.percentile(99), 990_000 / 32.0);
    assertEquals(1_000_000, h.percentile(100));
    assertEquals(1000, h.percentile(0), 1000 / 32.0);
    assertEquals(1_000_000, h.max());
    assertEquals(500_500, h.mean(), 1e-6);
  }

  @Test
  void smallValuesAreExactAndNegativesCountAsZero() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(3);
    h.record(63);
    assertEquals(0, h.percentile(33));
    assertEquals(3, h.percentile(50));
    assertEquals(63, h.percentile(99));
  }

  @Test
  void percentileNeverExceedsTheMaximum() {
    LatencyHistogram h = new LatencyHistogram();
    Random rnd = new Random(7);
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long v = (long) (rnd.nextDouble() * 50_000_000);
      max = Math.max(max, v);
      h.record(v);
    }
    assertTrue(h.percentile(99.99) <= max);
    assertEquals(max, h.percentile(100));
  }

  @Test
  void emptyResetAndGuards() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.percentile(50));
    assertEquals(0, h.mean());
    h.record(10);
    h.reset();
    assertEquals(0, h.count());
    assertEquals(0, h.max());
    assertEquals("percentile must be 0..100, got 101.0",
        assertThrows(IllegalArgumentException.class, () -> h.percentile(101)).getMessage());
    assertEquals("percentile must be 0..100, got NaN",
        assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN)).getMessage());
    assertTrue(h.toString().startsWith("LatencyHistogram{count 0"));
  }
}
