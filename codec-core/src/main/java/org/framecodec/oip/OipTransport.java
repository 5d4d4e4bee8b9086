package org.framecodec.oip;

import java.util.concurrent.CompletableFuture;

/**
 * One way of carrying the protocol's calls (REST or gRPC). Every future completes, normally or
 * with an exception of the {@link org.framecodec.FrameCodecException} family, by the client's
 * deadline at the latest. Implementations are thread-safe.
 */
interface OipTransport extends AutoCloseable {
  CompletableFuture<InferResponse> infer(InferRequest request);

  CompletableFuture<Boolean> serverLive();

  CompletableFuture<Boolean> serverReady();

  CompletableFuture<Boolean> modelReady(String model, String version);

  CompletableFuture<ModelMetadata> modelMetadata(String model, String version);

  @Override
  void close();
}
