package org.framecodec.bench.detect;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts images, so JMH reports a secondary result {@code images} in images per second next to
 * the primary calls per second (one call is one batch).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ImageCounter {
  public long images;

  @Setup(Level.Iteration)
  public void reset() {
    images = 0;
  }
}
