/**
 * Micrometer meters for the objects a service holds: {@link org.framecodec.metrics.FrameCodecMetrics}
 * binds a {@link org.framecodec.batch.Batcher}, a {@link org.framecodec.detect.Detector}, an
 * {@link org.framecodec.transport.InferenceClient}, the receiver ({@link
 * org.framecodec.transport.InferenceServer}) and the process's codecs to a {@code MeterRegistry};
 * {@link org.framecodec.metrics.PrometheusEndpoint} serves a Prometheus registry at the
 * receiver's {@code GET /metrics}.
 *
 * <p>Needs {@code io.micrometer:micrometer-core}, an optional dependency of codec-core: the only
 * package that refers to it. {@code PrometheusEndpoint} alone also needs {@code
 * io.micrometer:micrometer-registry-prometheus}, another optional one. The objects it watches know
 * nothing of Micrometer; they expose small hooks ({@link org.framecodec.batch.BatcherObserver},
 * {@link org.framecodec.detect.DetectorListener}, {@link
 * org.framecodec.transport.ClientListener}, {@link org.framecodec.transport.ServerListener},
 * {@link org.framecodec.codec.CodecListener}) that the binders here implement, and nothing is
 * measured until something is bound. Names follow Micrometer's conventions (dot-separated, lower
 * case; times in seconds, sizes in bytes); a Prometheus registry shows {@code
 * framecodec.batcher.wait} as {@code framecodec_batcher_wait_seconds}. docs/guide.md lists every
 * meter.
 */
package org.framecodec.metrics;
