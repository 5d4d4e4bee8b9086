/**
 * The Open Inference Protocol (KServe v2), which Triton Inference Server, KServe, Seldon MLServer,
 * OpenVINO Model Server and FrameCodec's receiver speak: the scale-out path for inference.
 *
 * <ul>
 *   <li>Client: {@link org.framecodec.oip.OipClient} sends batches of {@link
 *       org.framecodec.codec.EncodedFrame}s (a BYTES tensor of JPEGs, or a decoded UINT8 tensor,
 *       see {@link org.framecodec.oip.FrameTensors}) or any {@link org.framecodec.oip.InferRequest},
 *       over REST with the binary tensor data extension, REST JSON, or gRPC; sync and async.</li>
 *   <li>Server: {@link org.framecodec.oip.OipService} exposes the detector as the model {@code
 *       detector} ({@link org.framecodec.oip.DetectorTensors}), answering REST requests as a pure
 *       function for any HTTP server to carry; {@link org.framecodec.oip.OipGrpcServer} is its gRPC
 *       port.</li>
 *   <li>Protocol layer: {@link org.framecodec.oip.InferTensor} (data always in the binary layout),
 *       {@link org.framecodec.oip.RestCodec} (JSON header + binary tail, every length checked before
 *       allocation), and the gRPC messages compiled from our own {@code oip_v2.proto} into {@code
 *       org.framecodec.oip.proto} (generated; not API).</li>
 * </ul>
 *
 * <p>gRPC needs {@code io.grpc:grpc-netty-shaded}, {@code grpc-protobuf}, {@code grpc-stub} and
 * {@code protobuf-java} on the class path (optional dependencies of codec-core); REST needs
 * nothing beyond the JDK and jackson-core. Measured choices are in docs/transport.md.
 */
package org.framecodec.oip;
