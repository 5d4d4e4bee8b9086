/**
 * Frames to an inference service over HTTP and detections back: {@link
 * org.framecodec.transport.InferenceClient} (JDK HttpClient, JSON envelope or raw container, one
 * deadline per call, optional token and TLS), the response schema {@link
 * org.framecodec.transport.DetectionsJson}, and the receiver {@link
 * org.framecodec.transport.InferenceServer} (Netty; timeouts, caps, memory budgets, token, TLS),
 * with its {@link org.framecodec.transport.ServerOptions}, {@link
 * org.framecodec.transport.BearerToken}, {@link org.framecodec.transport.TlsOptions} and the
 * {@link org.framecodec.transport.Endpoint} interface for more routes. Measured choices are in
 * docs/transport.md, attacks and their answers in docs/reliability.md. The server needs
 * {@code io.netty:netty-codec-http} and {@code netty-handler}, optional dependencies of codec-core.
 */
package org.framecodec.transport;
