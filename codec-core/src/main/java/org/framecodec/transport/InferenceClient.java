package org.framecodec.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
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
 * <p>Limits: the connect timeout, and {@link Builder#requestTimeout} as <b>one deadline for the
 * whole call</b>, from sending until the last byte of the response body: a service that sends its
 * headers and then stalls the body fails the call at the deadline, as one that never answers
 * does (a {@link TransportException} whose cause is an {@link HttpTimeoutException}). The body is
 * counted as it streams and cut off past {@link Builder#maxResponseBytes}.
 *
 * <p>Security: {@link Builder#bearerToken} sends {@code Authorization: Bearer}; an {@code https}
 * endpoint uses {@link Builder#sslContext} (for a private CA or a client certificate, see
 * {@link TlsFiles#clientContext}) or the JDK's default trust.
 *
 * <p><b>Thread-safe.</b> The client is immutable; calls from many threads share one {@link
 * HttpClient} and its connection pool. The frames' payloads are read during the call only and not
 * kept. There is nothing to close: the {@code HttpClient} (ours, or the one passed to {@link
 * Builder#httpClient}, which stays the caller's) frees its connections when unreachable.
 */
public final class InferenceClient {
  /** Default time to open a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default deadline for one call, body included; generous, since a CPU detector takes a while on a batch of 64. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Default cap on a response body: far above 64 frames of 1000 detections. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 << 20;

  private final URI endpoint;
  private final Duration requestTimeout;
  private final int maxResponseBytes;
  private final DetectionsJson detections;
  private final BearerToken token;
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
    this.token = b.token;
    if (b.http != null) {
      this.http = b.http;
    } else {
      HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
          // HTTP/1.1: Flask and our receiver speak nothing else, and h2c upgrade attempts only
          // add a round trip on the first request.
          .version(HttpClient.Version.HTTP_1_1);
      if (b.ssl != null) {
        hb.sslContext(b.ssl);
      }
      this.http = hb.build();
    }
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
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint)
        .timeout(requestTimeout)
        .header("Content-Type", framing.contentType())
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      rb.header("Authorization", token.headerValue());
    }
    String what = "the response of " + endpoint;
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(rb.build(), info ->
        info.statusCode() == 200 ? new CappedBodySubscriber(maxResponseBytes, false, what + " is larger than "
            + maxResponseBytes + " bytes (maxResponseBytes); cut off while streaming", info)
            : new CappedBodySubscriber(InferenceHttpException.MAX_EXCERPT_CHARS, true, null, info));
    HttpResponse<byte[]> response;
    try {
      response = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true); // aborts the exchange and its connection
      HttpTimeoutException cause = new HttpTimeoutException("no complete response within " + requestTimeout);
      throw new TransportException("no complete response from " + endpoint + " within the "
          + requestTimeout.toMillis() + " ms deadline (requestTimeout, body included)", cause);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof PayloadTooLargeException tooLarge) {
        throw new PayloadTooLargeException(tooLarge.getMessage());
      }
      throw new TransportException("cannot POST " + body.length + " bytes (" + framing + ", "
          + frameCount + " frames) to " + endpoint + ": " + cause, cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while posting to " + endpoint, e);
    }
    byte[] answer = response.body();
    if (response.statusCode() != 200) {
      String text = new String(answer, StandardCharsets.UTF_8).strip();
      throw new InferenceHttpException(endpoint.toString(), response.statusCode(), text);
    }
    List<List<Detection>> perFrame = detections.read(answer, 0, answer.length, frameCount);
    return new InferenceResult(perFrame, body.length, answer.length);
  }

  /** Settings for an {@link InferenceClient}; validated as they are set. Not thread-safe. */
  public static final class Builder {
    private final URI endpoint;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int maxDetectionsPerFrame = DetectionsJson.DEFAULT_MAX_DETECTIONS_PER_FRAME;
    private BearerToken token;
    private SSLContext ssl;
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
     * The deadline of a whole call: from sending the request until its response body has arrived.
     *
     * @param value the new deadline
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
     * Sends this bearer token with every request.
     *
     * @param value the token
     * @return this builder
     */
    public Builder bearerToken(BearerToken value) {
      this.token = Objects.requireNonNull(value, "token");
      return this;
    }

    /**
     * TLS settings for an {@code https} endpoint (trusted CAs, a client certificate); ignored when
     * {@link #httpClient} is given (it has its own).
     *
     * @param value the TLS context, e.g. from {@link TlsFiles#clientContext}
     * @return this builder
     */
    public Builder sslContext(SSLContext value) {
      this.ssl = Objects.requireNonNull(value, "sslContext");
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
