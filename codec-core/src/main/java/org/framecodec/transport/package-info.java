/**
 * Frames to an inference service over HTTP and detections back: {@link
 * org.framecodec.transport.InferenceClient} (JDK HttpClient, JSON envelope or raw container),
 * the response schema {@link org.framecodec.transport.DetectionsJson}, and a JDK-HttpServer
 * receiver {@link org.framecodec.transport.InferenceServer}. Measured choices are in
 * docs/transport.md.
 */
package org.framecodec.transport;
