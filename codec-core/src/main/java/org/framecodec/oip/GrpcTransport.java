package org.framecodec.oip;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.stub.MetadataUtils;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.framecodec.FrameCodecException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.oip.proto.GRPCInferenceServiceGrpc;
import org.framecodec.oip.proto.ModelMetadataRequest;
import org.framecodec.oip.proto.ModelReadyRequest;
import org.framecodec.oip.proto.ServerLiveRequest;
import org.framecodec.oip.proto.ServerReadyRequest;
import org.framecodec.transport.TransportException;

/**
 * The protocol's gRPC side ({@code inference.GRPCInferenceService}) over grpc-java's Netty
 * transport: one channel per client, a deadline on every call, inbound messages capped at the
 * client's response limit. Thread-safe; {@link #close()} shuts the channel down.
 */
final class GrpcTransport implements OipTransport {
  private final ManagedChannel channel;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub;
  private final String target;
  private final Duration timeout;
  private final int maxResponseBytes;
  private final Limits limits;

  GrpcTransport(URI base, Duration timeout, int maxResponseBytes, Limits limits, String token,
      TrustManagerFactory trust, KeyManagerFactory clientKeys) {
    String host = base.getHost();
    int port = base.getPort() > 0 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port).maxInboundMessageSize(maxResponseBytes);
    if ("https".equalsIgnoreCase(base.getScheme())) {
      b.useTransportSecurity();
      if (trust != null || clientKeys != null) {
        try {
          b.sslContext(GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
              .trustManager(trust).keyManager(clientKeys).protocols("TLSv1.3", "TLSv1.2").build());
        } catch (javax.net.ssl.SSLException e) {
          throw new IllegalArgumentException("cannot set up TLS for " + base + ": " + e.getMessage(), e);
        }
      }
    } else {
      b.usePlaintext();
    }
    this.channel = b.build();
    GRPCInferenceServiceGrpc.GRPCInferenceServiceStub s = GRPCInferenceServiceGrpc.newStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(GrpcCallGuards.AUTHORIZATION, "Bearer " + token);
      s = s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    this.stub = s;
    this.target = "gRPC " + host + ":" + port;
    this.timeout = timeout;
    this.maxResponseBytes = maxResponseBytes;
    this.limits = limits;
  }

  @Override
  public CompletableFuture<InferResponse> infer(InferRequest request) {
    if (request.modelName().isEmpty()) {
      throw new IllegalArgumentException("the request names no model");
    }
    var message = GrpcMapping.toProto(request);
    return this.<org.framecodec.oip.proto.ModelInferResponse, InferResponse>call("ModelInfer",
        (s, o) -> s.modelInfer(message, o), r -> GrpcMapping.fromProto(r, limits));
  }

  @Override
  public CompletableFuture<Boolean> serverLive() {
    return this.<org.framecodec.oip.proto.ServerLiveResponse, Boolean>call("ServerLive",
        (s, o) -> s.serverLive(ServerLiveRequest.getDefaultInstance(), o), r -> r.getLive());
  }

  @Override
  public CompletableFuture<Boolean> serverReady() {
    return this.<org.framecodec.oip.proto.ServerReadyResponse, Boolean>call("ServerReady",
        (s, o) -> s.serverReady(ServerReadyRequest.getDefaultInstance(), o), r -> r.getReady());
  }

  @Override
  public CompletableFuture<Boolean> modelReady(String model, String version) {
    ModelReadyRequest m = ModelReadyRequest.newBuilder().setName(model).setVersion(version).build();
    return this.<org.framecodec.oip.proto.ModelReadyResponse, Boolean>call("ModelReady",
        (s, o) -> s.modelReady(m, o), r -> r.getReady());
  }

  @Override
  public CompletableFuture<ModelMetadata> modelMetadata(String model, String version) {
    ModelMetadataRequest m = ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build();
    return this.<org.framecodec.oip.proto.ModelMetadataResponse, ModelMetadata>call("ModelMetadata",
        (s, o) -> s.modelMetadata(m, o), GrpcMapping::fromProto);
  }

  private interface Invocation<M> {
    void start(GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub, StreamObserver<M> observer);
  }

  private <M, T> CompletableFuture<T> call(String method, Invocation<M> invocation, Function<M, T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    String where = method + " on " + target;
    invocation.start(stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS), new StreamObserver<>() {
      @Override
      public void onNext(M value) {
        try {
          result.complete(read.apply(value));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(translate(where, t));
      }

      @Override
      public void onCompleted() {
        if (!result.isDone()) {
          result.completeExceptionally(new TransportException(where + " ended without a response"));
        }
      }
    });
    return result;
  }

  private RuntimeException translate(String where, Throwable t) {
    if (t instanceof FrameCodecException e) {
      return e;
    }
    Status s = Status.fromThrowable(t);
    String d = s.getDescription() == null ? "" : s.getDescription();
    switch (s.getCode()) {
      case DEADLINE_EXCEEDED:
        return new TransportException(where + " did not complete within " + timeout, t);
      case RESOURCE_EXHAUSTED:
        // grpc-java's own deframer names our limit when the response is what is too large.
        if (d.contains("exceeds maximum size " + maxResponseBytes)) {
          PayloadTooLargeException e = new PayloadTooLargeException("the response of " + where
              + " is larger than the limit of " + maxResponseBytes + " bytes");
          e.initCause(t);
          return e;
        }
        break;
      case UNAVAILABLE:
        if (t.getCause() != null) {
          return new TransportException("cannot reach " + where + ": " + d, t);
        }
        break;
      default:
        break;
    }
    OipStatusException e = new OipStatusException(where, httpStatus(s.getCode()), s.getCode().name(), d);
    e.initCause(t instanceof StatusRuntimeException ? t : s.asRuntimeException());
    return e;
  }

  /** The REST status the protocol's HTTP side would give for a gRPC code. */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case RESOURCE_EXHAUSTED -> 413;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 500;
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
