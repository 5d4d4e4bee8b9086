package org.framecodec.transport;

import org.framecodec.wire.Framing;

/**
 * Told about every call an {@link InferenceClient} makes: the hook a metrics binder (such as
 * {@code org.framecodec.metrics.FrameCodecMetrics}) uses for requests, errors by type, bytes each
 * way and latency. Set with {@link InferenceClient.Builder#listener}.
 *
 * <p>Called on the calling thread once the call has an outcome, from many threads at once when
 * the client is shared: implementations must be thread-safe and short. An exception it throws
 * propagates to the client's caller, so do not throw.
 */
public interface ClientListener {

  /**
   * A call got its detections.
   *
   * @param framing the request's framing
   * @param frames frames sent
   * @param requestBytes bytes of the request body
   * @param responseBytes bytes of the response body
   * @param nanos wall time of the call, body encoding excluded
   */
  void succeeded(Framing framing, int frames, long requestBytes, long responseBytes, long nanos);

  /**
   * A call failed: the exception the caller is about to get (a {@link TransportException}, an
   * {@link InferenceHttpException}, a {@link org.framecodec.CorruptPayloadException} for a bad
   * answer, a {@link org.framecodec.PayloadTooLargeException}).
   *
   * @param framing the request's framing
   * @param frames frames sent
   * @param requestBytes bytes of the request body
   * @param nanos wall time until it failed
   * @param error what the caller gets
   */
  void failed(Framing framing, int frames, long requestBytes, long nanos, RuntimeException error);
}
