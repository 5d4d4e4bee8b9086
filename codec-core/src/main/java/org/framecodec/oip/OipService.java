package org.framecodec.oip;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegHeaders;
import org.framecodec.codec.JpegInfo;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.transport.TransportException;

/**
 * The server side of the Open Inference Protocol for FrameCodec's detector, independent of any
 * transport: the model {@code detector} (or another name) as {@link DetectorTensors} describes
 * it, answering REST requests as pure functions ({@link #handleRest}) and typed calls ({@link
 * #infer}, {@link #metadata}, ...) that the gRPC service and any HTTP server share.
 *
 * <p><b>REST routes</b> (paths are decoded, queries ignored):
 * <ul>
 *   <li>{@code GET /v2/health/live}, {@code GET /v2/health/ready}: 200 with an empty body, or 400
 *       when not ready (the protocol: a 4xx means false);</li>
 *   <li>{@code GET /v2}: server metadata, extensions {@code ["binary_tensor_data"]};</li>
 *   <li>{@code GET /v2/models/{name}[/versions/{v}]}: the model metadata;</li>
 *   <li>{@code GET /v2/models/{name}[/versions/{v}]/ready}: 200, or 404 for another model;</li>
 *   <li>{@code POST /v2/models/{name}[/versions/{v}]/infer}: inference, the body read by {@link
 *       RestCodec} (binary tensor data or JSON); outputs in binary or JSON as the request asks.</li>
 * </ul>
 * Every error is the protocol's {@code {"error": "..."}} with a status: 400 for a body that
 * contradicts itself or the model (bad lengths, shape against data, unknown datatype, missing or
 * unknown input or output, a payload that is not a JPEG), 413 for one over {@link Limits}, 404
 * for an unknown model or path, 405 for a wrong method, 503 when the backend cannot take the
 * request now, 500 when it fails.
 *
 * <p><b>The model</b> takes one input, {@value DetectorTensors#INPUT}, BYTES {@code [N]}: JPEG
 * payloads of any mode. The mode comes from the parameter {@value FrameTensors#JPEG_MODE} (one
 * for all) or {@value FrameTensors#JPEG_MODES} (one per element, comma-separated); without
 * either, a payload is {@code ycbcr}, or {@code gray} when its JPEG has one component. Each
 * payload's header is read and checked against {@link Limits} before the backend sees it.
 *
 * <p>Thread-safe, as the backend must be; requests run on the caller's thread.
 */
public final class OipService {
  /** The server name in {@code GET /v2}. */
  public static final String SERVER_NAME = "framecodec";
  /** The extensions this server implements. */
  public static final List<String> EXTENSIONS = List.of("binary_tensor_data");

  private final String modelName;
  private final DetectionBackend backend;
  private final int maxDetections;
  private final Limits limits;
  private final RestCodec codec;
  private final ModelMetadata metadata;
  private final BooleanSupplier ready;
  private final String version;

  private OipService(Builder b) {
    this.modelName = b.modelName;
    this.backend = b.backend;
    this.maxDetections = b.maxDetections;
    this.limits = b.limits;
    this.codec = new RestCodec(b.limits);
    this.metadata = DetectorTensors.metadata(b.modelName, b.maxDetections, b.platform);
    this.ready = b.ready;
    this.version = b.version;
  }

  /**
   * A builder for the model {@code modelName}, detecting with {@code backend}, with at most
   * {@code maxDetections} detections per frame (the K of the fixed-size outputs).
   *
   * @param modelName the model name
   * @param backend runs the detector; must be thread-safe
   * @param maxDetections K, the most detections per frame
   * @return the builder
   */
  public static Builder builder(String modelName, DetectionBackend backend, int maxDetections) {
    return new Builder(modelName, backend, maxDetections);
  }

  /** {@return the model's name} */
  public String modelName() {
    return modelName;
  }

  /** {@return the limits requests are read under} */
  public Limits limits() {
    return limits;
  }

  /** {@return whether the server is ready (the builder's readiness check, true by default)} */
  public boolean ready() {
    return ready.getAsBoolean();
  }

  /** {@return the model's metadata} */
  public ModelMetadata metadata() {
    return metadata;
  }

  /**
   * The metadata of {@code name}, version {@code v} (empty: any).
   *
   * @param name the model name
   * @param v the version; empty for any
   * @return the metadata
   * @throws ModelNotFoundException for another model or a version this model does not have
   */
  public ModelMetadata metadata(String name, String v) {
    checkModel(name, v);
    return metadata;
  }

  /**
   * Whether model {@code name} (version {@code v}, empty: any) is here and ready.
   *
   * @param name the model name
   * @param v the version; empty for any
   * @return whether it is ready
   */
  public boolean modelReady(String name, String v) {
    return modelName.equals(name) && (v.isEmpty() || v.equals(version)) && ready();
  }

  private void checkModel(String name, String v) {
    if (!modelName.equals(name)) {
      throw new ModelNotFoundException("unknown model '" + Strings.excerpt(name) + "'; this server has '"
          + modelName + "'");
    }
    if (!v.isEmpty() && !v.equals(version)) {
      throw new ModelNotFoundException("model '" + modelName + "' has no version '" + Strings.excerpt(v)
          + "'; it has '" + version + "'");
    }
  }

  /**
   * Runs one inference request.
   *
   * @param request the request
   * @return the response
   * @throws ModelNotFoundException for another model
   * @throws FrameFormatException for a request that does not fit the model or a payload that is
   *     not a usable JPEG ({@link PayloadTooLargeException} over a limit)
   * @throws TransportException when the backend cannot take it now
   */
  public InferResponse infer(InferRequest request) {
    Objects.requireNonNull(request, "request");
    checkModel(request.modelName(), request.modelVersion());
    InferTensor images = request.input(DetectorTensors.INPUT);
    if (images == null) {
      throw new CorruptPayloadException("missing input '" + DetectorTensors.INPUT + "': the model '" + modelName
          + "' takes one input, '" + DetectorTensors.INPUT + "', BYTES [N] of JPEG payloads; the request has "
          + request.inputs().stream().map(t -> "'" + Strings.excerpt(t.name()) + "'").toList());
    }
    for (InferTensor t : request.inputs()) {
      if (!t.name().equals(DetectorTensors.INPUT)) {
        throw new CorruptPayloadException("unknown input '" + Strings.excerpt(t.name()) + "': the model '"
            + modelName + "' takes only '" + DetectorTensors.INPUT + "'");
      }
    }
    if (images.datatype() != Datatype.BYTES || images.rank() != 1) {
      throw new CorruptPayloadException("input '" + DetectorTensors.INPUT + "' must be BYTES [N] (one JPEG per element), got "
          + images.datatype() + " " + java.util.Arrays.toString(images.shape()));
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (RequestedOutput o : request.outputs()) {
      if (!DetectorTensors.OUTPUTS.contains(o.name())) {
        throw new CorruptPayloadException("unknown output '" + Strings.excerpt(o.name()) + "'; the model '"
            + modelName + "' has " + DetectorTensors.OUTPUTS);
      }
      wanted.add(o.name());
    }
    if (wanted.isEmpty()) {
      wanted.addAll(DetectorTensors.OUTPUTS);
    }
    List<EncodedFrame> frames = frames(images);
    List<List<Detection>> perFrame = frames.isEmpty() ? List.of() : backend.detect(frames);
    if (perFrame.size() != frames.size()) {
      throw new IllegalStateException("the backend answered " + perFrame.size() + " frames for " + frames.size());
    }
    InferResponse.Builder r = InferResponse.builder(modelName).id(request.id().orElse(null));
    List<InferTensor> fixed = wanted.size() == 1 && wanted.contains(DetectorTensors.DETECTIONS) ? List.of()
        : DetectorTensors.fixed(perFrame, maxDetections);
    for (String name : wanted) {
      if (name.equals(DetectorTensors.DETECTIONS)) {
        r.output(DetectorTensors.detectionsJson(perFrame));
      } else {
        for (InferTensor t : fixed) {
          if (t.name().equals(name)) {
            r.output(t);
          }
        }
      }
    }
    return r.build();
  }

  /** The input's elements as frames, each JPEG header read and checked against the limits. */
  private List<EncodedFrame> frames(InferTensor images) {
    int n = images.bytesElementCount();
    limits.checkFrameCount(n);
    JpegMode[] modes = modes(images, n);
    List<EncodedFrame> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int off = images.bytesElementOffset(i);
      int len = images.bytesElementLength(i);
      String where = "input '" + DetectorTensors.INPUT + "' element " + i;
      try {
        limits.checkPayloadBytes(len);
        if (len == 0) {
          throw new CorruptPayloadException("empty payload");
        }
        JpegInfo info = JpegHeaders.read(images.dataArray(), off, len);
        limits.checkPixels(info.width(), info.height());
        JpegMode mode = modes[i] != null ? modes[i] : info.components() == 1 ? JpegMode.GRAY : JpegMode.YCBCR;
        out.add(EncodedFrame.builder().payload(images.dataArray(), off, len).size(info.width(), info.height())
            .channels(info.components()).mode(mode).build());
      } catch (FrameFormatException e) {
        throw withContext(e, where, JsonTensorData.base64(images.parameters()) ? "" : hint(images, off, len));
      }
    }
    return out;
  }

  /** A hint for the most common mistake: JPEGs sent as text in JSON without content_type=base64. */
  private static String hint(InferTensor t, int off, int len) {
    byte[] d = t.dataArray();
    boolean base64Like = len >= 4 && d[off] == '/' && d[off + 1] == '9' && d[off + 2] == 'j';
    return base64Like ? " (it looks like base64 text: in JSON, give the input \"parameters\": {\"content_type\": \"base64\"})" : "";
  }

  private static JpegMode[] modes(InferTensor images, int n) {
    JpegMode[] out = new JpegMode[n];
    Object one = images.parameters().get(FrameTensors.JPEG_MODE);
    Object list = images.parameters().get(FrameTensors.JPEG_MODES);
    if (one != null && list != null) {
      throw new CorruptPayloadException("give " + FrameTensors.JPEG_MODE + " or " + FrameTensors.JPEG_MODES + ", not both");
    }
    if (one != null) {
      java.util.Arrays.fill(out, mode(one, FrameTensors.JPEG_MODE));
    } else if (list != null) {
      if (!(list instanceof String s)) {
        throw new CorruptPayloadException(FrameTensors.JPEG_MODES + " must be a string, got " + list);
      }
      String[] names = s.split(",", -1);
      if (names.length != n) {
        throw new CorruptPayloadException(FrameTensors.JPEG_MODES + " names " + names.length + " modes for " + n + " payloads");
      }
      for (int i = 0; i < n; i++) {
        out[i] = mode(names[i].strip(), FrameTensors.JPEG_MODES);
      }
    }
    return out;
  }

  private static JpegMode mode(Object value, String parameter) {
    try {
      return JpegMode.fromWireName(value instanceof String s ? s : null);
    } catch (IllegalArgumentException e) {
      throw new CorruptPayloadException(parameter + ": " + e.getMessage());
    }
  }

  private static FrameFormatException withContext(FrameFormatException e, String where, String hint) {
    String m = where + ": " + e.getMessage() + hint;
    FrameFormatException out = e instanceof PayloadTooLargeException ? new PayloadTooLargeException(m)
        : e instanceof org.framecodec.UnsupportedPayloadException ? new org.framecodec.UnsupportedPayloadException(m)
        : new CorruptPayloadException(m);
    out.initCause(e);
    return out;
  }

  // ------------------------------------------------------------------ REST

  /**
   * Answers one REST request of the protocol. Never throws for anything a client sends: every
   * failure is an error reply (see the class comment); an {@link Error} escapes, for the server's
   * own boundary to handle.
   *
   * @param method {@code GET}, {@code POST}, ...
   * @param path the decoded path, e.g. {@code /v2/models/detector/infer}
   * @param headerLength the {@code Inference-Header-Content-Length} header's value, or null
   * @param body the request body, {@code [offset, offset+length)}; read during the call only
   * @param offset where the body starts
   * @param length bytes of body
   * @return the reply
   */
  public RestReply handleRest(String method, String path, String headerLength, byte[] body, int offset, int length) {
    try {
      return route(method, path, headerLength, body, offset, length);
    } catch (MethodNotAllowed e) {
      RestReply r = error(405, e.getMessage());
      return new RestReply(405, r.contentType(), r.body(), Map.of("Allow", e.allowed));
    } catch (RuntimeException e) {
      return error(statusOf(e), e.getMessage());
    }
  }

  private RestReply route(String method, String path, String headerLength, byte[] body, int offset, int length) {
    String[] seg = segments(path);
    if (seg.length == 1 && seg[0].equals("v2")) {
      allow(method, "GET");
      return json(codec.writeServerMetadata(SERVER_NAME, version, EXTENSIONS));
    }
    if (seg.length == 3 && seg[0].equals("v2") && seg[1].equals("health")
        && (seg[2].equals("live") || seg[2].equals("ready"))) {
      allow(method, "GET");
      boolean ok = seg[2].equals("live") || ready();
      return ok ? new RestReply(200, "", new byte[0], Map.of()) : error(400, "the server is not ready");
    }
    if (seg.length >= 3 && seg[0].equals("v2") && seg[1].equals("models")) {
      String name = seg[2];
      String v = "";
      int rest = 3;
      if (seg.length >= 5 && seg[3].equals("versions")) {
        v = seg[4];
        rest = 5;
      }
      String action = seg.length == rest ? "" : seg.length == rest + 1 ? seg[rest] : null;
      if ("".equals(action)) {
        allow(method, "GET");
        return json(codec.writeModelMetadata(metadata(name, v)));
      }
      if ("ready".equals(action)) {
        allow(method, "GET");
        checkModel(name, v);
        return ready() ? new RestReply(200, "", new byte[0], Map.of()) : error(400, "model '" + modelName + "' is not ready");
      }
      if ("infer".equals(action)) {
        allow(method, "POST");
        return infer(name, v, headerLength, body, offset, length);
      }
    }
    return error(404, "no such endpoint: " + Strings.excerpt(path) + " (the protocol's endpoints are under /v2)");
  }

  private RestReply infer(String name, String v, String headerLength, byte[] body, int offset, int length) {
    checkModel(name, v);
    InferRequest parsed = codec.readRequest(body, offset, length, RestCodec.parseHeaderLength(headerLength));
    // The URL names the model; a model_name in the JSON is informative only.
    InferRequest request = parsed.toBuilder().model(name).version(v).build();
    InferResponse response = infer(request);
    RestBody out = codec.writeResponse(response, request);
    Map<String, String> headers = out.hasBinary()
        ? Map.of(RestBody.HEADER_LENGTH, Integer.toString(out.headerLength())) : Map.of();
    return new RestReply(200, out.contentType(), out.body(), headers);
  }

  private static void allow(String method, String allowed) {
    if (!allowed.equals(method)) {
      throw new MethodNotAllowed(method, allowed);
    }
  }

  private static String[] segments(String path) {
    String p = path == null ? "" : path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  private static RestReply json(byte[] body) {
    return new RestReply(200, "application/json", body, Map.of());
  }

  /**
   * The protocol's error reply: {@code {"error": "..."}} with a status.
   *
   * @param status the HTTP status
   * @param message the error text
   * @return the reply
   */
  public RestReply error(int status, String message) {
    Map<String, String> headers = Map.of();
    if (status == 503) {
      headers = Map.of("Retry-After", "1");
    }
    return new RestReply(status, "application/json", codec.writeError(message == null ? "" : message), headers);
  }

  /**
   * The REST status for a failure: 404 unknown model, 405 wrong method, 413 over a limit, 400 any
   * other bad input, 503 the backend cannot take the request now, 500 anything else.
   *
   * @param e the failure
   * @return the status
   */
  public static int statusOf(Throwable e) {
    if (e instanceof ModelNotFoundException) {
      return 404;
    }
    if (e instanceof MethodNotAllowed) {
      return 405;
    }
    if (e instanceof PayloadTooLargeException) {
      return 413;
    }
    if (e instanceof FrameFormatException || e instanceof IllegalArgumentException) {
      return 400;
    }
    if (e instanceof TransportException) {
      return 503;
    }
    return 500;
  }

  /** A request with a method the path does not take. */
  static final class MethodNotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String allowed;

    MethodNotAllowed(String method, String allowed) {
      super("method " + Strings.excerpt(String.valueOf(method)) + " is not allowed here; use " + allowed);
      this.allowed = allowed;
    }
  }

  /** Settings of an {@link OipService}. Not thread-safe. */
  public static final class Builder {
    private final String modelName;
    private final DetectionBackend backend;
    private final int maxDetections;
    private Limits limits = Limits.defaults();
    private String platform = "onnx_onnxv1";
    private BooleanSupplier ready = () -> true;
    private String version = "1";

    private Builder(String modelName, DetectionBackend backend, int maxDetections) {
      Objects.requireNonNull(modelName, "modelName");
      if (modelName.isEmpty() || modelName.contains("/") || modelName.length() > InferTensor.MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("model name must be 1.." + InferTensor.MAX_NAME_LENGTH
            + " characters without '/', got '" + modelName + "'");
      }
      this.modelName = modelName;
      this.backend = Objects.requireNonNull(backend, "backend");
      if (maxDetections < 1) {
        throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
      }
      this.maxDetections = maxDetections;
    }

    /**
     * Limits requests are read under (body, BYTES elements, frames, pixels).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * The platform the metadata reports; default {@code onnx_onnxv1}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder platform(String value) {
      this.platform = Objects.requireNonNull(value, "platform");
      return this;
    }

    /**
     * Readiness, asked by the health and model-ready routes (false while draining, say).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder ready(BooleanSupplier value) {
      this.ready = Objects.requireNonNull(value, "ready");
      return this;
    }

    /**
     * The one version the model answers to besides none; default {@code 1}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder version(String value) {
      Objects.requireNonNull(value, "version");
      if (value.isEmpty() || value.contains("/")) {
        throw new IllegalArgumentException("version must be non-empty without '/', got '" + value + "'");
      }
      this.version = value;
      return this;
    }

    /** {@return the service} */
    public OipService build() {
      return new OipService(this);
    }
  }
}
