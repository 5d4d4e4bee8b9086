package org.framecodec.detect;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps long-lived native memory out of the caller's {@link org.bytedeco.javacpp.PointerScope}.
 *
 * <p>JavaCPP attaches every new pointer to the innermost open scope of the thread and frees it
 * when that scope closes. A detector opened, or a buffer grown, inside a caller's scope would lose
 * its memory while still in use. {@link #keep} adds one reference, so the scope's release leaves
 * the pointer alive; the owner frees it with {@code deallocate()} in its {@code close()}.
 */
final class NativeScope {
  private NativeScope() {}

  static <P extends Pointer> P keep(P pointer) {
    pointer.retainReference();
    return pointer;
  }
}
