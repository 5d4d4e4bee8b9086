package org.framecodec.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/** The meters one binder registered, so that closing it removes exactly those. Thread-safe. */
final class BoundMeters {
  private final List<Meter> meters = new ArrayList<>();
  private MeterRegistry registry;

  synchronized void bindTo(MeterRegistry target, String what) {
    if (registry != null) {
      throw new IllegalStateException(what + " is already bound to a registry; bind a new one to another");
    }
    registry = target;
  }

  synchronized <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  synchronized boolean isBound() {
    return registry != null;
  }

  /** Removes every meter from the registry; a later bind may start over. */
  synchronized void remove() {
    if (registry != null) {
      for (Meter m : meters) {
        registry.remove(m);
      }
    }
    meters.clear();
    registry = null;
  }
}
