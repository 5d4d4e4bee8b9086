package org.framecodec.oip;

import java.util.Map;
import java.util.Objects;
import org.framecodec.transport.DetectionGate;
import org.framecodec.transport.Endpoint;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.ServerResponse;

/**
 * Puts the Open Inference Protocol's REST side on FrameCodec's receiver ({@link InferenceServer}):
 * {@code GET /v2}, {@code GET /v2/health/*}, {@code GET /v2/models/*} and {@code POST
 * /v2/models/*} answered by an {@link OipService}, beside {@code POST /detect}, under the same
 * connection caps, timeouts, body limit, token and TLS, and detecting through the same {@link
 * DetectionGate} (one detector, one pixel budget).
 *
 * <pre>{@code
 * InferenceServer.Builder b = InferenceServer.builder().detector(detector).limits(limits);
 * OipService oip = OipRoutes.service("detector", b.detectionGate());
 * OipRoutes.install(b, oip);
 * try (InferenceServer rest = b.start();
 *     OipGrpcServer grpc = OipGrpcServer.builder(oip).start()) { ... }
 * }</pre>
 *
 * <p>Failures the server answers before a route is reached (401 without the token, 408 for a slow
 * client, 413 for a {@code Content-Length} over the limit, 503 when its queue is full) keep the
 * server's one-line text bodies; everything the protocol itself refuses is {@code {"error": ...}}.
 * Stateless and thread-safe.
 */
public final class OipRoutes {
  private OipRoutes() {}

  /**
   * The detector model {@code modelName}, detecting through {@code gate}: its limits, its
   * detector's most detections per frame (the K of the fixed-size outputs), ready while the
   * server is not draining.
   *
   * @param modelName the model name clients use, e.g. {@value DetectorTensors#DEFAULT_MODEL_NAME}
   * @param gate the server's gate ({@link InferenceServer.Builder#detectionGate()})
   * @return the service, for {@link #install} and {@link OipGrpcServer#builder}
   */
  public static OipService service(String modelName, DetectionGate gate) {
    Objects.requireNonNull(gate, "gate");
    return OipService.builder(modelName, gate::detect, gate.detectorInfo().nms().maxDetections())
        .limits(gate.limits()).ready(gate::accepting).build();
  }

  /**
   * Adds the protocol's REST routes to {@code server}.
   *
   * @param server the builder of the receiver
   * @param service what answers them
   * @return the builder
   */
  public static InferenceServer.Builder install(InferenceServer.Builder server, OipService service) {
    Endpoint e = endpoint(service);
    return server.route("GET", "/v2", e).route("GET", "/v2/*", e).route("POST", "/v2/*", e);
  }

  /**
   * {@code service} as one {@link Endpoint}, for servers that route themselves.
   *
   * @param service what answers
   * @return the endpoint
   */
  public static Endpoint endpoint(OipService service) {
    Objects.requireNonNull(service, "service");
    return request -> {
      RestReply r = service.handleRest(request.method(), request.path(),
          request.header(RestBody.HEADER_LENGTH), request.bodyArray(), 0, request.bodyLength());
      String type = r.contentType().isEmpty() ? "text/plain; charset=utf-8" : r.contentType();
      return new ServerResponse(r.status(), type, r.body(), r.headers().isEmpty() ? Map.of() : r.headers());
    };
  }
}
