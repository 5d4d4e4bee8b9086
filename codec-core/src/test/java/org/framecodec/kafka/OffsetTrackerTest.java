package org.framecodec.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  @Test
  void nothingIsCommittableUntilTheFirstRecordIsDone() {
    OffsetTracker t = new OffsetTracker();
    t.register(10);
    t.register(11);
    assertEquals(-1, t.committable());
    t.markDone(10);
    assertEquals(11, t.committable(), "the next record to read");
  }

  @Test
  void aRecordNotDoneHoldsBackEveryLaterOffset() {
    OffsetTracker t = new OffsetTracker();
    for (long o = 0; o < 5; o++) {
      t.register(o);
    }
    t.markDone(0);
    t.markDone(2);
    t.markDone(3);
    t.markDone(4);
    assertEquals(1, t.committable(), "offset 1 is not done, so 2..4 must not be committed");
    assertEquals(4, t.outstanding());
    t.markDone(1);
    assertEquals(5, t.committable());
    assertEquals(0, t.outstanding());
  }

  @Test
  void gapsInOffsetsAreFine() {
    OffsetTracker t = new OffsetTracker();
    t.register(3);
    t.register(7);
    t.markDone(7);
    assertEquals(-1, t.committable());
    t.markDone(3);
    assertEquals(8, t.committable());
  }

  @Test
  void offsetsMustIncrease() {
    OffsetTracker t = new OffsetTracker();
    t.register(5);
    assertThrows(IllegalArgumentException.class, () -> t.register(5));
    assertThrows(IllegalArgumentException.class, () -> t.register(4));
  }

  @Test
  void markingAnAlreadyCommittedOffsetChangesNothing() {
    OffsetTracker t = new OffsetTracker();
    t.register(1);
    t.markDone(1);
    t.markDone(1);
    t.markDone(0);
    assertEquals(2, t.committable());
    assertEquals(0, t.outstanding());
  }
}
