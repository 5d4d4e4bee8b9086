package org.framecodec.oip;

import java.util.Objects;

/**
 * How many bytes a request or response of the Open Inference Protocol takes on the wire, body
 * only (HTTP headers and HTTP/2 frames not counted): for sizing links and for benchmarks that
 * compare encodings. REST sizes are those of the bodies {@link RestCodec} writes; gRPC sizes are
 * the protobuf message plus gRPC's 5-byte message prefix. The gRPC methods need grpc-protobuf and
 * protobuf-java on the class path. Stateless and thread-safe.
 */
public final class OipWireSizes {
  private static final RestCodec REST = new RestCodec();
  /** gRPC's length-prefixed message framing: one flag byte and a 4-byte length. */
  private static final int GRPC_PREFIX = 5;

  private OipWireSizes() {}

  /**
   * The REST body of {@code request}, without the model name (which travels in the URL).
   *
   * @param request the request
   * @param binary true for the binary tensor data extension, false for JSON data
   * @return bytes of body
   */
  public static long rest(InferRequest request, boolean binary) {
    Objects.requireNonNull(request, "request");
    return REST.writeRequest(request.toBuilder().model("").version("").build(), binary).body().length;
  }

  /**
   * The REST body of {@code response} to {@code request}, outputs binary or JSON as it asks.
   *
   * @param response the response
   * @param request the request it answers
   * @return bytes of body
   */
  public static long rest(InferResponse response, InferRequest request) {
    return REST.writeResponse(response, request).body().length;
  }

  /**
   * The gRPC {@code ModelInferRequest} of {@code request}.
   *
   * @param request the request
   * @return bytes of message, with gRPC's prefix
   */
  public static long grpc(InferRequest request) {
    return GrpcMapping.toProto(request).getSerializedSize() + GRPC_PREFIX;
  }

  /**
   * The gRPC {@code ModelInferResponse} of {@code response}.
   *
   * @param response the response
   * @return bytes of message, with gRPC's prefix
   */
  public static long grpc(InferResponse response) {
    return GrpcMapping.toProto(response).getSerializedSize() + GRPC_PREFIX;
  }
}
