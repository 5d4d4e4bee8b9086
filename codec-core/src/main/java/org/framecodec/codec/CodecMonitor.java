package org.framecodec.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Process-wide view of the codecs, for metrics: how many hold native memory now, and the {@link
 * CodecListener}s told about each encode and decode. Codecs are made per thread and per task, so
 * this is the one place a service can watch all of them from.
 *
 * <p>While no listener is registered a codec call pays one volatile read for it. Thread-safe.
 */
public final class CodecMonitor {
  private static final CodecListener[] NONE = new CodecListener[0];
  private static final Object LOCK = new Object();
  /** Copy-on-write; replaced under LOCK, read without it on every codec call. */
  private static volatile CodecListener[] listeners = NONE;

  private CodecMonitor() {}

  /**
   * Codecs of {@code backend} whose native memory is not yet freed: open ones, and dropped ones
   * the cleaner has not reached (each of those is logged as a leak). 0 for the opencv backend when
   * OpenCV is not on the classpath.
   *
   * @param backend the backend
   * @return its codecs holding native memory
   */
  public static int openHandles(CodecBackend backend) {
    return switch (backend) {
      case TURBOJPEG -> TurboJpegCodec.liveHandles();
      case OPENCV -> OpenCvBackendLoader.isAvailable() ? OpenCvJpegCodec.liveScratchBuffers() : 0;
    };
  }

  /**
   * Tells {@code listener} about every encode and decode from now on, in every thread.
   *
   * @param listener the listener
   */
  public static void addListener(CodecListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (LOCK) {
      CodecListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
      grown[grown.length - 1] = listener;
      listeners = grown;
    }
  }

  /**
   * Stops telling one registration of {@code listener}.
   *
   * @param listener the listener
   * @return false when it was not registered
   */
  public static boolean removeListener(CodecListener listener) {
    synchronized (LOCK) {
      CodecListener[] now = listeners;
      for (int i = 0; i < now.length; i++) {
        if (now[i] == listener) {
          CodecListener[] shrunk = new CodecListener[now.length - 1];
          System.arraycopy(now, 0, shrunk, 0, i);
          System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
          listeners = shrunk;
          return true;
        }
      }
      return false;
    }
  }

  /** The registered listeners; an empty array when none. Callers must not modify it. */
  static CodecListener[] listeners() {
    return listeners;
  }
}
