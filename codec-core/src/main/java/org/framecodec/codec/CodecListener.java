package org.framecodec.codec;

/**
 * Told about every encode and decode of every {@link JpegCodec} in the process: the hook a metrics
 * binder (such as {@code org.framecodec.metrics.FrameCodecMetrics}) uses for bytes and times per
 * backend. Register with {@link CodecMonitor#addListener}.
 *
 * <p>Called on the codec's thread right after the call succeeds, so from many threads at once:
 * implementations must be thread-safe and short (a counter increment, a timer record). An
 * exception it throws propagates to the codec's caller, so do not throw. Failed calls are not
 * reported; their exceptions reach the caller.
 */
public interface CodecListener {

  /**
   * One frame was encoded.
   *
   * @param backend the codec's backend
   * @param mode the payload's mode
   * @param payloadBytes the payload's length
   * @param nanos wall time of the backend call, from {@link System#nanoTime()}
   */
  void encoded(CodecBackend backend, JpegMode mode, int payloadBytes, long nanos);

  /**
   * One payload was decoded.
   *
   * @param backend the codec's backend
   * @param mode the mode it was decoded in
   * @param payloadBytes the payload's length
   * @param nanos wall time of the backend call (the header read before it not included)
   */
  void decoded(CodecBackend backend, JpegMode mode, int payloadBytes, long nanos);
}
