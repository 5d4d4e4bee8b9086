package org.framecodec.oip;

import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.detect.Detection;
import org.framecodec.frames.PixelFormat;
import org.framecodec.transport.DetectionsJson;
import org.framecodec.transport.TransportException;

/**
 * A client of the Open Inference Protocol (KServe v2), the protocol Triton Inference Server,
 * KServe, Seldon MLServer, OpenVINO Model Server and FrameCodec's own receiver speak: sends
 * batches of {@link EncodedFrame}s, or any tensors, to a model and reads what it answers.
 *
 * <pre>{@code
 * try (OipClient client = OipClient.builder(URI.create("http://triton:8000"))
 *     .protocol(OipClient.Protocol.REST_BINARY).model("detector").build()) {
 *   List<List<Detection>> faces = client.detect(frames);          // our detector's outputs
 *   InferResponse r = client.inferFrames(frames);                 // any model taking JPEGs
 *   float[] scores = r.output("scores").asFloats();
 * }
 * }</pre>
 *
 * <p><b>Protocols</b> ({@link Protocol}): {@link Protocol#REST_BINARY} sends tensors in the
 * binary tensor data extension (JPEG bytes intact, no base64: the usual choice for Triton and
 * KServe); {@link Protocol#REST_JSON} sends them as JSON arrays, BYTES as base64 strings marked
 * {@code "content_type": "base64"}, for servers without the extension; {@link Protocol#GRPC}
 * calls {@code inference.GRPCInferenceService} with the data in {@code raw_input_contents}. For
 * gRPC the base URI gives host and port ({@code http} for plaintext, {@code https} for TLS).
 *
 * <p><b>Frames</b> go as one BYTES tensor of their JPEG payloads ({@link FrameInput#JPEG},
 * for servers that decode) or decoded into one UINT8 tensor {@code [N, H, W, C]} ({@link
 * FrameInput#PIXELS}, for models that take pixels); see {@link FrameTensors}.
 *
 * <p><b>Limits.</b> Every call has one deadline, {@link Builder#timeout}, for the whole exchange
 * including the response body; then it fails with a {@link TransportException} and the exchange
 * is cancelled. Responses over {@link Builder#maxResponseBytes} are cut off while they stream in
 * ({@link org.framecodec.PayloadTooLargeException}), and what arrives is read under {@link
 * Builder#limits}. Errors are all of the {@link org.framecodec.FrameCodecException} family: {@link
 * OipStatusException} when the server answers with an error, {@link TransportException} when it
 * cannot be reached or does not answer in time, {@link org.framecodec.CorruptPayloadException}
 * when its answer is malformed.
 *
 * <p><b>Calls</b> come in pairs: a blocking one and an {@code ...Async} one returning a {@link
 * CompletableFuture} that completes with the value or one of those exceptions; nothing blocks
 * a caller's thread in the async form. Frames' payloads are read while the request is built and
 * not kept.
 *
 * <p><b>Thread-safe</b>: one client serves many threads and keeps one connection pool (REST) or
 * channel (gRPC). {@link #close()} releases the gRPC channel; a REST client holds nothing that
 * needs closing, but closing it is harmless.
 */
public final class OipClient implements AutoCloseable {
  /** How calls travel. */
  public enum Protocol {
    /** HTTP/JSON with tensor data in the binary tensor data extension. */
    REST_BINARY,
    /** HTTP/JSON with tensor data as JSON arrays (BYTES as base64 strings). */
    REST_JSON,
    /** gRPC, tensor data in the raw contents fields. */
    GRPC
  }

  /** How frames become an input tensor. */
  public enum FrameInput {
    /** One BYTES tensor {@code [N]} of the JPEG payloads. */
    JPEG,
    /** One UINT8 tensor {@code [N, H, W, C]} of decoded pixels (needs {@link Builder#pixels}). */
    PIXELS
  }

  /** Default deadline of a call; generous, since a CPU detector takes a while on a batch of 64. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** Default cap on a response: far above 64 frames of detections, in every output form. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 << 20;

  private final Protocol protocol;
  private final OipTransport transport;
  private final String model;
  private final String version;
  private final FrameInput frameInput;
  private final String inputName;
  private final List<String> outputs;
  private final JpegCodec pixelCodec;
  private final PixelFormat pixelFormat;
  private final int maxDetectionsPerFrame;
  private final URI base;

  private OipClient(Builder b) {
    this.protocol = b.protocol;
    this.base = b.base;
    this.model = b.model;
    this.version = b.version;
    this.frameInput = b.frameInput;
    this.inputName = b.inputName;
    this.outputs = List.copyOf(b.outputs);
    this.pixelCodec = b.pixelCodec;
    this.pixelFormat = b.pixelFormat;
    this.maxDetectionsPerFrame = b.maxDetectionsPerFrame;
    RestCodec codec = new RestCodec(b.limits);
    if (b.protocol == Protocol.GRPC) {
      this.transport = new GrpcTransport(b.base, b.timeout, b.maxResponseBytes, b.limits, b.token, b.trust,
          b.clientKeys);
    } else {
      HttpClient http = b.http;
      if (http == null) {
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.timeout)
            // HTTP/1.1: Triton, KServe and Flask speak it, and an h2c upgrade only adds a round trip.
            .version(HttpClient.Version.HTTP_1_1);
        if (b.trust != null || b.clientKeys != null) {
          hb.sslContext(sslContext(b.trust, b.clientKeys));
        }
        http = hb.build();
      }
      this.transport = new RestTransport(b.base, http, b.protocol == Protocol.REST_BINARY, codec, b.timeout,
          b.maxResponseBytes, b.token);
    }
  }

  /**
   * A builder for a client of the server at {@code base}: {@code http(s)://host:port}, plus a path
   * prefix for REST servers mounted under one (e.g. a KServe ingress).
   *
   * @param base {@code http(s)://host:port}, with a path prefix for REST if the server has one
   * @return the builder
   */
  public static Builder builder(URI base) {
    return new Builder(base);
  }

  /** {@return how calls travel} */
  public Protocol protocol() {
    return protocol;
  }

  /** {@return the server's base URI} */
  public URI base() {
    return base;
  }

  /** {@return the model that frame calls go to} */
  public String model() {
    return model;
  }

  // ------------------------------------------------------------------ any tensors

  /**
   * Runs {@code request} (its model name, or this client's when it names none).
   *
   * @param request the request
   * @return the response
   */
  public InferResponse infer(InferRequest request) {
    return join(inferAsync(request));
  }

  /**
   * {@link #infer}, without blocking.
   *
   * @param request the request
   * @return the response, when it arrives
   */
  public CompletableFuture<InferResponse> inferAsync(InferRequest request) {
    Objects.requireNonNull(request, "request");
    InferRequest r = request.modelName().isEmpty() ? request.toBuilder().model(model).version(version).build() : request;
    return guard(() -> transport.infer(r));
  }

  // ------------------------------------------------------------------ frames

  /**
   * Sends {@code frames} as one input (see {@link Builder#frameInput}) to this client's model and
   * returns its response, with the outputs of {@link Builder#outputs} (default: all), in binary
   * data where the protocol has it.
   *
   * @param frames the frames, in order
   * @return the response
   */
  public InferResponse inferFrames(List<EncodedFrame> frames) {
    return join(inferFramesAsync(frames));
  }

  /**
   * {@link #inferFrames}, without blocking.
   *
   * @param frames the frames, in order
   * @return the response, when it arrives
   */
  public CompletableFuture<InferResponse> inferFramesAsync(List<EncodedFrame> frames) {
    return guard(() -> transport.infer(framesRequest(frames, outputs)));
  }

  /**
   * Runs FrameCodec's detector contract ({@link DetectorTensors}) on {@code frames}: their JPEGs
   * as the {@value DetectorTensors#INPUT} input, the {@value DetectorTensors#DETECTIONS} output
   * read as one {@link DetectionsJson} document per frame. Works against our receiver and any
   * server exposing the same contract.
   *
   * @param frames the frames, in order
   * @return per frame, its detections, in order
   */
  public List<List<Detection>> detect(List<EncodedFrame> frames) {
    return join(detectAsync(frames));
  }

  /**
   * {@link #detect}, without blocking.
   *
   * @param frames the frames, in order
   * @return per frame, its detections, when they arrive
   */
  public CompletableFuture<List<List<Detection>>> detectAsync(List<EncodedFrame> frames) {
    return guard(() -> {
      InferRequest r = detectRequest(frames);
      int n = frames.size();
      return transport.infer(r).thenApply(resp ->
          DetectorTensors.readDetectionsJson(resp.output(DetectorTensors.DETECTIONS), n, maxDetectionsPerFrame));
    });
  }

  /**
   * The request {@link #detect} sends for {@code frames}: their JPEGs as {@value
   * DetectorTensors#INPUT}, the {@value DetectorTensors#DETECTIONS} output asked for (as binary
   * data where the protocol has it).
   *
   * @param frames the frames, at least one
   * @return the request
   */
  public InferRequest detectRequest(List<EncodedFrame> frames) {
    return InferRequest.builder(model).version(version)
        .input(FrameTensors.jpegs(DetectorTensors.INPUT, frames, protocol == Protocol.REST_JSON))
        .output(protocol == Protocol.REST_JSON ? RequestedOutput.named(DetectorTensors.DETECTIONS)
            : RequestedOutput.binary(DetectorTensors.DETECTIONS))
        .build();
  }

  /**
   * The request {@link #inferFrames} sends for {@code frames}.
   *
   * @param frames the frames, in order
   * @return the request
   */
  public InferRequest framesRequest(List<EncodedFrame> frames) {
    return framesRequest(frames, outputs);
  }

  private InferRequest framesRequest(List<EncodedFrame> frames, List<String> wanted) {
    Objects.requireNonNull(frames, "frames");
    InferTensor input = frameInput == FrameInput.JPEG
        ? FrameTensors.jpegs(inputName, frames, protocol == Protocol.REST_JSON)
        : FrameTensors.pixels(inputName, frames, pixelCodec, pixelFormat);
    InferRequest.Builder b = InferRequest.builder(model).version(version).input(input);
    for (String o : wanted) {
      b.output(protocol == Protocol.REST_BINARY ? RequestedOutput.binary(o) : RequestedOutput.named(o));
    }
    if (wanted.isEmpty() && protocol == Protocol.REST_BINARY) {
      b.parameters(java.util.Map.of(Parameters.BINARY_DATA_OUTPUT, true));
    }
    return b.build();
  }

  // ------------------------------------------------------------------ health and metadata

  /** {@return whether the server is live: {@code GET /v2/health/live} or {@code ServerLive}} */
  public boolean serverLive() {
    return join(guard(transport::serverLive));
  }

  /** {@return whether the server is ready: {@code GET /v2/health/ready} or {@code ServerReady}} */
  public boolean serverReady() {
    return join(guard(transport::serverReady));
  }

  /** {@return whether this client's model is ready} */
  public boolean modelReady() {
    return modelReady(model);
  }

  /**
   * Whether {@code name} is ready (a 4xx answer is "no", as the protocol says).
   *
   * @param name the model name
   * @return whether the model is ready
   */
  public boolean modelReady(String name) {
    return join(guard(() -> transport.modelReady(name, name.equals(model) ? version : "")));
  }

  /** {@return this client's model's metadata} */
  public ModelMetadata modelMetadata() {
    return modelMetadata(model);
  }

  /**
   * The metadata of model {@code name}.
   *
   * @param name the model name
   * @return the metadata
   */
  public ModelMetadata modelMetadata(String name) {
    return join(guard(() -> transport.modelMetadata(name, name.equals(model) ? version : "")));
  }

  /** Releases the gRPC channel; idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  private static javax.net.ssl.SSLContext sslContext(TrustManagerFactory trust, KeyManagerFactory keys) {
    try {
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      // Null managers mean the JVM's defaults: its trust store, no client key.
      ctx.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
    }
  }

  /** Turns a failure while building a call into a failed future, so async callers see one path. */
  private static <T> CompletableFuture<T> guard(java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for the inference server", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
      if (c instanceof RuntimeException r) {
        // Rethrown on the caller's thread; the stack of the I/O thread stays as the cause's.
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new TransportException("inference call failed: " + c, c);
    } catch (CancellationException e) {
      throw new TransportException("the call was cancelled", e);
    }
  }

  /** Settings for an {@link OipClient}; validated as they are set. Not thread-safe. */
  public static final class Builder {
    private final URI base;
    private Protocol protocol = Protocol.REST_BINARY;
    private String model = DetectorTensors.DEFAULT_MODEL_NAME;
    private String version = "";
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private Limits limits = Limits.defaults();
    private FrameInput frameInput = FrameInput.JPEG;
    private String inputName = DetectorTensors.INPUT;
    private List<String> outputs = List.of();
    private JpegCodec pixelCodec;
    private PixelFormat pixelFormat = PixelFormat.RGB;
    private int maxDetectionsPerFrame = DetectionsJson.DEFAULT_MAX_DETECTIONS_PER_FRAME;
    private HttpClient http;
    private String token;
    private TrustManagerFactory trust;
    private KeyManagerFactory clientKeys;

    private Builder(URI base) {
      Objects.requireNonNull(base, "base");
      String scheme = base.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || base.getHost() == null) {
        throw new IllegalArgumentException("base must be an absolute http(s) URI with a host, got " + base);
      }
      this.base = base;
    }

    /**
     * REST with binary data (the default), REST JSON, or gRPC.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder protocol(Protocol value) {
      this.protocol = Objects.requireNonNull(value, "protocol");
      return this;
    }

    /**
     * The model frame calls go to; default {@value DetectorTensors#DEFAULT_MODEL_NAME}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder model(String value) {
      Objects.requireNonNull(value, "model");
      if (value.isEmpty()) {
        throw new IllegalArgumentException("model name must not be empty");
      }
      this.model = value;
      return this;
    }

    /**
     * The model version; empty (the default) lets the server choose.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder version(String value) {
      this.version = Objects.requireNonNull(value, "version");
      return this;
    }

    /**
     * The deadline of each call, response body included.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder timeout(Duration value) {
      Objects.requireNonNull(value, "timeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      this.timeout = value;
      return this;
    }

    /**
     * Largest response accepted (REST body, or gRPC message).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxResponseBytes(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxResponseBytes must be positive, got " + value);
      }
      this.maxResponseBytes = value;
      return this;
    }

    /**
     * Limits responses are read under (BYTES element sizes and counts, JSON nesting).
     *
     * @param value the new value
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Frames as JPEG bytes (the default).
     *
     * @param name the model name
     * @return this builder
     */
    public Builder jpegInput(String name) {
      this.frameInput = FrameInput.JPEG;
      this.inputName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Frames decoded with {@code codec} into a UINT8 tensor of {@code format} ({@code RGB}, {@code
     * BGR} or {@code GRAY}) named {@code name}. The codec is used from the calling thread; give
     * each calling thread its own client, or serialise calls, as the codec is not thread-safe.
     *
     * @param name the model name
     * @param codec decodes the payloads
     * @param format {@code RGB}, {@code BGR} or {@code GRAY}
     * @return this builder
     */
    public Builder pixels(String name, JpegCodec codec, PixelFormat format) {
      this.frameInput = FrameInput.PIXELS;
      this.inputName = Objects.requireNonNull(name, "name");
      this.pixelCodec = Objects.requireNonNull(codec, "codec");
      this.pixelFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * The outputs {@link #inferFrames} asks for; none (the default) asks for all.
     *
     * @param names the output names
     * @return this builder
     */
    public Builder outputs(String... names) {
      this.outputs = List.of(names);
      return this;
    }

    /**
     * Most detections one frame of a {@link #detect} answer may have.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxDetectionsPerFrame(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxDetectionsPerFrame must be positive, got " + value);
      }
      this.maxDetectionsPerFrame = value;
      return this;
    }

    /**
     * Uses this HTTP client (shared pool, proxy, TLS settings) for REST instead of making one.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder httpClient(HttpClient value) {
      this.http = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /**
     * Sends {@code Authorization: Bearer <token>} (REST) or the same metadata (gRPC) with every
     * call. The token is never logged or put in an exception message.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder token(String value) {
      Objects.requireNonNull(value, "token");
      if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("a bearer token must be non-empty printable ASCII without spaces");
      }
      this.token = value;
      return this;
    }

    /**
     * TLS settings for an {@code https} base, both protocols: trust these certificates instead of
     * the JVM's default trust store, and present these client keys to a server that asks (mTLS).
     * {@link org.framecodec.transport.TlsFiles} reads both from PEM or PKCS#12 files. For REST it
     * is ignored when an {@link #httpClient} is given (that client has its own).
     *
     * @param trusted what the server's certificate must chain to; null for the JVM's default
     * @param clientKeys the client's key pair; null for none
     * @return this builder
     */
    public Builder tls(TrustManagerFactory trusted, KeyManagerFactory clientKeys) {
      this.trust = trusted;
      this.clientKeys = clientKeys;
      return this;
    }

    /** {@return the client; close it to release a gRPC channel} */
    public OipClient build() {
      return new OipClient(this);
    }
  }
}
