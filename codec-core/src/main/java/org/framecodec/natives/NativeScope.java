package org.framecodec.natives;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps long-lived native memory out of the caller's {@link org.bytedeco.javacpp.PointerScope}.
 *
 * <p>JavaCPP attaches every new pointer to the innermost open scope of the thread and frees it
 * when that scope closes. A detector opened, or a buffer grown, inside a caller's scope would lose
 * its memory while still in use. {@link #keep} adds one reference, so the scope's release leaves
 * the pointer alive; the owner frees it with {@code deallocate()} in its {@code close()}.
 *
 * <p>Internal to FrameCodec's codecs and detector; needs JavaCPP, which comes with the optional
 * OpenCV dependency. Thread-safe (stateless).
 */
public final class NativeScope {
  private NativeScope() {}

  /**
   * Adds one reference to {@code pointer}, so that no enclosing scope frees it; returns it.
   *
   * @param <P> the pointer type
   * @param pointer the native memory to keep
   * @return {@code pointer}
   */
  public static <P extends Pointer> P keep(P pointer) {
    pointer.retainReference();
    return pointer;
  }
}
