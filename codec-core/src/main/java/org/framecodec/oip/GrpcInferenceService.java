package org.framecodec.oip;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.framecodec.oip.proto.GRPCInferenceServiceGrpc;
import org.framecodec.oip.proto.ModelInferRequest;
import org.framecodec.oip.proto.ModelInferResponse;
import org.framecodec.oip.proto.ModelMetadataRequest;
import org.framecodec.oip.proto.ModelMetadataResponse;
import org.framecodec.oip.proto.ModelReadyRequest;
import org.framecodec.oip.proto.ModelReadyResponse;
import org.framecodec.oip.proto.ServerLiveRequest;
import org.framecodec.oip.proto.ServerLiveResponse;
import org.framecodec.oip.proto.ServerMetadataRequest;
import org.framecodec.oip.proto.ServerMetadataResponse;
import org.framecodec.oip.proto.ServerReadyRequest;
import org.framecodec.oip.proto.ServerReadyResponse;

/**
 * {@code inference.GRPCInferenceService} over an {@link OipService}: each call is mapped to the
 * service's typed call, and every failure to a status with the message as its description ({@code
 * INVALID_ARGUMENT} for bad input, {@code NOT_FOUND} for an unknown model, {@code
 * RESOURCE_EXHAUSTED} over a limit, {@code UNAVAILABLE} when busy or when an {@link Error} such as
 * out-of-memory was caught, {@code INTERNAL} otherwise); the server goes on serving. Inference
 * calls beyond {@code admitted} at once are refused with {@code UNAVAILABLE} at once, so a flood
 * queues nothing; admitted ones run on the inference executor. Thread-safe.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  private final OipService service;
  private final Semaphore admitted;
  private final int permits;
  private final Executor inference;

  /**
   * @param admitted inference calls running or waiting at most
   * @param inference runs inference calls, off the threads that read messages, so that calls
   *     waiting for the detector never keep the admission check of the next call from running
   */
  GrpcInferenceService(OipService service, int admitted, Executor inference) {
    this.service = service;
    this.permits = admitted;
    this.admitted = new Semaphore(admitted);
    this.inference = inference;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
    reply(out, ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    reply(out, ServerReadyResponse.newBuilder().setReady(service.ready()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    reply(out, ModelReadyResponse.newBuilder()
        .setReady(service.modelReady(request.getName(), request.getVersion())).build());
  }

  @Override
  public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
    reply(out, ServerMetadataResponse.newBuilder().setName(OipService.SERVER_NAME)
        .setVersion("1").addAllExtensions(OipService.EXTENSIONS).build());
  }

  @Override
  public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
    try {
      reply(out, GrpcMapping.toProto(service.metadata(request.getName(), request.getVersion())));
    } catch (RuntimeException | Error e) {
      out.onError(status(e).asRuntimeException());
    }
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    if (!admitted.tryAcquire()) {
      out.onError(Status.UNAVAILABLE.withDescription("the server is running " + permits
          + " inference calls, its most; retry").asRuntimeException());
      return;
    }
    try {
      inference.execute(() -> run(request, out));
    } catch (RejectedExecutionException e) {
      admitted.release();
      out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
    }
  }

  private void run(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    ModelInferResponse response;
    try {
      InferRequest r = GrpcMapping.fromProto(request, service.limits());
      response = GrpcMapping.toProto(service.infer(r));
    } catch (RuntimeException | Error e) {
      out.onError(status(e).asRuntimeException());
      return;
    } finally {
      admitted.release();
    }
    reply(out, response);
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  static Status status(Throwable e) {
    if (e instanceof Error) {
      return Status.UNAVAILABLE.withDescription("the server could not run the request: " + e).withCause(e);
    }
    Status s = switch (OipService.statusOf(e)) {
      case 400 -> Status.INVALID_ARGUMENT;
      case 404 -> Status.NOT_FOUND;
      case 413 -> Status.RESOURCE_EXHAUSTED;
      case 503 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
    return s.withDescription(e.getMessage()).withCause(e);
  }
}
