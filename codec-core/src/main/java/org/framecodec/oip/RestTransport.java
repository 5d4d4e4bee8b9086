package org.framecodec.oip;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.framecodec.FrameCodecException;
import org.framecodec.transport.HttpBodies;
import org.framecodec.transport.TransportException;

/**
 * The protocol's REST side over the JDK's {@link HttpClient}: {@code POST
 * /v2/models/{name}[/versions/{v}]/infer} with the binary extension or plain JSON, and the
 * health and metadata {@code GET}s. Each call has one deadline for the whole exchange, body
 * included (after which the exchange is cancelled), and a response body cap enforced while the
 * body streams in. Thread-safe.
 */
final class RestTransport implements OipTransport {
  private final URI base;
  private final HttpClient http;
  private final boolean binary;
  private final RestCodec codec;
  private final Duration timeout;
  private final int maxResponseBytes;
  private final String authorization;

  RestTransport(URI base, HttpClient http, boolean binary, RestCodec codec, Duration timeout, int maxResponseBytes,
      String token) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.http = http;
    this.binary = binary;
    this.codec = codec;
    this.timeout = timeout;
    this.maxResponseBytes = maxResponseBytes;
    this.authorization = token == null ? null : "Bearer " + token;
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  @Override
  public CompletableFuture<InferResponse> infer(InferRequest request) {
    URI uri = modelUri(request.modelName(), request.modelVersion(), "/infer");
    // The URL names the model; the JSON need not repeat it.
    RestBody body = codec.writeRequest(request.toBuilder().model("").version("").build(), binary);
    HttpRequest.Builder b = request(uri)
        .header("Content-Type", body.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
    if (body.hasBinary()) {
      b.header(RestBody.HEADER_LENGTH, Integer.toString(body.headerLength()));
    }
    return call(b.build(), response -> {
      long header = RestCodec.parseHeaderLength(response.headers().firstValue(RestBody.HEADER_LENGTH).orElse(null));
      byte[] bytes = ok(response);
      return codec.readResponse(bytes, 0, bytes.length, header);
    });
  }

  @Override
  public CompletableFuture<Boolean> serverLive() {
    return health(uri("/v2/health/live"));
  }

  @Override
  public CompletableFuture<Boolean> serverReady() {
    return health(uri("/v2/health/ready"));
  }

  @Override
  public CompletableFuture<Boolean> modelReady(String model, String version) {
    return health(modelUri(model, version, "/ready"));
  }

  @Override
  public CompletableFuture<ModelMetadata> modelMetadata(String model, String version) {
    return call(request(modelUri(model, version, "")).GET().build(), response -> {
      byte[] bytes = ok(response);
      return codec.readModelMetadata(bytes, 0, bytes.length);
    });
  }

  private CompletableFuture<Boolean> health(URI uri) {
    return call(request(uri).GET().build(), response -> {
      int s = response.statusCode();
      if (s == 200) {
        return true;
      }
      if (s >= 400 && s < 500) {
        return false; // the protocol: 200 is true, a 4xx is false
      }
      throw error(response);
    });
  }

  private byte[] ok(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw error(response);
    }
    return response.body();
  }

  private OipStatusException error(HttpResponse<byte[]> response) {
    byte[] b = response.body();
    String message = codec.readError(b, 0, b.length);
    if (message == null) {
      message = new String(b, 0, Math.min(b.length, OipStatusException.MAX_MESSAGE_CHARS), StandardCharsets.UTF_8).strip();
    }
    return new OipStatusException(response.request().method() + " " + response.uri(), response.statusCode(), null, message);
  }

  private <T> CompletableFuture<T> call(HttpRequest request, Function<HttpResponse<byte[]>, T> read) {
    String where = request.method() + " " + request.uri();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(request, HttpBodies.capped(maxResponseBytes,
            "the response of " + where + " is larger than the limit of " + maxResponseBytes + " bytes"));
    CompletableFuture<T> result = exchange.thenApply(read)
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle((value, failure) -> {
          if (failure == null) {
            return value;
          }
          throw translate(where, failure);
        });
    // A deadline (or a caller's cancel) ends the exchange too, not only the wait for it.
    result.whenComplete((v, e) -> {
      if (e != null) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  private RuntimeException translate(String where, Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof FrameCodecException e) {
      return e;
    }
    if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
      return new TransportException(where + " did not complete within " + timeout, t);
    }
    if (t instanceof ConnectException) {
      return new TransportException("cannot connect for " + where + ": " + t, t);
    }
    if (t instanceof IOException) {
      return new TransportException(where + " failed: " + t, t);
    }
    if (t instanceof CancellationException c) {
      return c;
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    return new TransportException(where + " failed: " + t, t);
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private URI modelUri(String model, String version, String suffix) {
    if (model.isEmpty()) {
      throw new IllegalArgumentException("the request names no model");
    }
    return uri("/v2/models/" + segment(model) + (version.isEmpty() ? "" : "/versions/" + segment(version)) + suffix);
  }

  /** Percent-encodes one path segment (RFC 3986 unreserved characters stay). */
  static String segment(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
        b.append(c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    // The HttpClient frees its connections when unreachable (it is closeable only from JDK 21).
  }
}
