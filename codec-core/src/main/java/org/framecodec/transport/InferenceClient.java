package org.framecodec.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;

/**
 * Sends frames to an inference service over HTTP and reads the detections it answers with,
 * using the JDK's {@link HttpClient} (no other HTTP dependency).
 *
 * <p>One call is one {@code POST} to {@link #endpoint()}:
 *
 * <ul>
 *   <li>{@link Framing#JSON}: a JSON envelope, base64 payloads ({@code application/json}); one
 *       frame goes as a single envelope, a batch as {@code {"frames": [...]}}
 * (docs/wire-format.md);</li>
 *   <li>{@link Framing#RAW}: the raw container ({@code application/octet-stream}), one frame or a
 *       batch.</li>
 * </ul>
 *
 * The answer must be HTTP 200 with a {@link DetectionsJson} document holding one entry per frame
 * sent. Anything else raises an exception of the {@link org.framecodec.FrameCodecException}
 * family: {@link InferenceHttpException} for another status, {@link CorruptPayloadException} for
 * a bad body and {@link org.framecodec.PayloadTooLargeException} for one over the limit, a plain
 * {@link TransportException} for connection failures and timeouts (its cause says which).
 *
 * <p>Limits: the connect timeout and the per-request timeout (until the response headers arrive,
 * as {@link HttpRequest.Builder#timeout} defines it), and {@link Builder#maxResponseBytes} on the
 * body, read incrementally so an endless body is cut off at the limit.
 *
 * <p><b>Thread-safe.</b> The client is immutable; calls from many threads share one {@link
 * HttpClient} and its connection pool. The frames' payloads are read during the call only and not
 * kept. There is nothing to close: the {@code HttpClient} (ours, or the one passed to {@link
 * Builder#httpClient}, which stays the caller's) frees its connections when unreachable.
 */
public final class InferenceClient {
  /** Default time to open a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default time for one request; generous, since a CPU detector takes a while on a batch of 64. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Default cap on a response body: far above 64 frames of 1000 detections. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 << 20;

  private final URI endpoint;
  private final Duration requestTimeout;
  private final int maxResponseBytes;
  private final DetectionsJson detections;
  private final HttpClient http;
  private final WireWriter writer = new WireWriter();
  /** Told about each call's outcome; null when none was set. */
  private final ClientListener listener;

  private InferenceClient(Builder b) {
    this.endpoint = b.endpoint;
    this.requestTimeout = b.requestTimeout;
    this.maxResponseBytes = b.maxResponseBytes;
    this.detections = new DetectionsJson(b.maxDetectionsPerFrame);
    this.listener = b.listener;
    this.http = b.http != null ? b.http
        : HttpClient.newBuilder().connectTimeout(b.connectTimeout)
            // HTTP/1.1: Flask and the JDK HttpServer speak nothing else, and h2c upgrade
            // attempts only add a round trip on the first request.
            .version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * {@return a builder for a client posting to {@code endpoint} (http or https, e.g. {@code
   * http://127.0.0.1:8000/detect})}
   *
   * @param endpoint the URL to post to
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /** {@return the URL requests are posted to} */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Sends one frame, as a single JSON envelope or a raw container of one, and returns its
   * detections.
   *
   * @param framing {@link org.framecodec.wire.Framing#JSON} or {@link
   *     org.framecodec.wire.Framing#RAW}
   * @param frame the frame
   * @return the frame's detections and the request and response sizes
   * @throws IllegalArgumentException when {@code framing} is neither JSON nor RAW
   * @throws TransportException as described in the class comment
   */
  public InferenceResult detect(Framing framing, EncodedFrame frame) {
    checkFraming(framing);
    Objects.requireNonNull(frame, "frame");
    return observed(framing, writer.write(framing, frame), 1);
  }

  /**
   * Sends a batch in one request ({@code {"frames": [...]}} or a raw container) and returns the
   * detections of each frame, in order. An empty batch is sent too; the answer must then hold no
   * frames.
   *
   * @param framing {@link org.framecodec.wire.Framing#JSON} or {@link
   *     org.framecodec.wire.Framing#RAW}
   * @param frames the frames, in order
   * @return per frame, its detections, and the request and response sizes
   * @throws IllegalArgumentException when {@code framing} is neither JSON nor RAW
   * @throws TransportException as described in the class comment
   */
  public InferenceResult detectBatch(Framing framing, List<EncodedFrame> frames) {
    checkFraming(framing);
    Objects.requireNonNull(frames, "frames");
    return observed(framing, writer.writeBatch(framing, frames), frames.size());
  }

  private static void checkFraming(Framing framing) {
    Objects.requireNonNull(framing, "framing");
    if (framing != Framing.JSON && framing != Framing.RAW) {
      throw new IllegalArgumentException("framing must be JSON or RAW (they carry the frame metadata), got " + framing);
    }
  }

  /** {@link #post}, with the outcome told to the listener when there is one. */
  private InferenceResult observed(Framing framing, byte[] body, int frameCount) {
    if (listener == null) {
      return post(framing, body, frameCount);
    }
    long start = System.nanoTime();
    InferenceResult result;
    try {
      result = post(framing, body, frameCount);
    } catch (RuntimeException e) {
      listener.failed(framing, frameCount, body.length, System.nanoTime() - start, e);
      throw e;
    }
    listener.succeeded(framing, frameCount, result.requestBytes(), result.responseBytes(),
        System.nanoTime() - start);
    return result;
  }

  private InferenceResult post(Framing framing, byte[] body, int frameCount) {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(requestTimeout)
        .header("Content-Type", framing.contentType())
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new TransportException("cannot POST " + body.length + " bytes (" + framing + ", "
          + frameCount + " frames) to " + endpoint + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while posting to " + endpoint, e);
    }
    byte[] answer;
    int length;
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        byte[] start = in.readNBytes(InferenceHttpException.MAX_EXCERPT_CHARS);
        String text = new String(start, StandardCharsets.UTF_8).strip();
        throw new InferenceHttpException(endpoint.toString(), response.statusCode(), text);
      }
      // Read one byte past the limit: that is how we tell "exactly at the limit" from "over it"
      // without trusting Content-Length, which a broken service may omit or get wrong.
      answer = in.readNBytes(maxResponseBytes + 1);
      length = answer.length;
    } catch (IOException e) {
      throw new TransportException("cannot read the response of " + endpoint + ": " + e, e);
    }
    if (length > maxResponseBytes) {
      throw new PayloadTooLargeException("the response of " + endpoint + " is larger than "
          + maxResponseBytes + " bytes");
    }
    List<List<Detection>> perFrame = detections.read(answer, 0, length, frameCount);
    return new InferenceResult(perFrame, body.length, length);
  }

  /** Settings for an {@link InferenceClient}; validated as they are set. Not thread-safe. */
  public static final class Builder {
    private final URI endpoint;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int maxDetectionsPerFrame = DetectionsJson.DEFAULT_MAX_DETECTIONS_PER_FRAME;
    private HttpClient http;
    private ClientListener listener;

    private Builder(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || endpoint.getHost() == null) {
        throw new IllegalArgumentException("endpoint must be an absolute http(s) URI with a host, got " + endpoint);
      }
      this.endpoint = endpoint;
    }

    /**
     * Time to open a connection; ignored when {@link #httpClient} is given (it has its own).
     *
     * @param value the new connect timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value);
      return this;
    }

    /**
     * Time from sending a request until the response headers arrive.
     *
     * @param value the new request timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive("requestTimeout", value);
      return this;
    }

    /**
     * Largest response body accepted.
     *
     * @param value the new max response bytes
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
     * Most detections one frame of the response may have.
     *
     * @param value the new max detections per frame
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
     * Uses this HTTP client (shared pool, proxy, TLS settings) instead of making one.
     *
     * @param value the new http client
     * @return this builder
     */
    public Builder httpClient(HttpClient value) {
      this.http = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /**
     * Tells {@code value} the outcome of every call (for metrics, e.g. {@code
     * FrameCodecMetrics.client(name)}); default none.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder listener(ClientListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** {@return the client} */
    public InferenceClient build() {
      return new InferenceClient(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
