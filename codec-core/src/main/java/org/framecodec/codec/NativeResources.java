package org.framecodec.codec;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native memory owned by a codec, freed exactly once: by the owner's {@code close()}, or, if the
 * owner is dropped without it, by a shared {@link Cleaner}, which also logs the leak so that it
 * is found and fixed rather than hidden. Counts what is live per kind, so tests can see that
 * every handle is freed. Internal to the codecs.
 */
abstract class NativeResources implements Runnable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final Class<?> owner;
  private final AtomicInteger live;
  private volatile boolean closedByOwner;

  /** {@code owner} is the codec class, whose logger reports a leak; {@code live} counts this kind. */
  NativeResources(Class<?> owner, AtomicInteger live) {
    this.owner = owner;
    this.live = live;
  }

  /** Frees the native memory; called once, from {@link #run()}. Must not touch the owner. */
  abstract void free();

  /** Registers {@code this} to be freed when {@code codec} becomes unreachable; counts it live. */
  final Cleaner.Cleanable register(Object codec) {
    live.incrementAndGet();
    return CLEANER.register(codec, this);
  }

  /** Marks a deliberate close, before {@link Cleaner.Cleanable#clean()} runs this. */
  final void closedByOwner() {
    closedByOwner = true;
  }

  @Override
  public final void run() {
    try {
      if (!closedByOwner) {
        System.getLogger(owner.getName()).log(System.Logger.Level.WARNING, owner.getSimpleName()
            + " instance was never closed; its native memory is freed by the cleaner. Close codecs"
            + " (try-with-resources) to free it promptly.");
      }
      free();
    } finally {
      live.decrementAndGet();
    }
  }
}
