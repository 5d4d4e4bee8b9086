package org.framecodec.oip;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.framecodec.PayloadTooLargeException;

/**
 * A response body collected into one array, refused with {@link PayloadTooLargeException} as soon
 * as it passes a limit, while it streams in: a server that sends an endless or huge body costs
 * at most the limit. Presized from {@code Content-Length} when that is within the limit (the
 * header is a hint, never trusted for the limit). One instance per response; not reusable.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int max;
  private final String where;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private byte[] buf;
  private int size;

  BoundedBody(int max, String where, HttpResponse.ResponseInfo info) {
    this.max = max;
    this.where = where;
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    this.buf = new byte[declared >= 0 && declared <= max ? (int) declared : Math.min(max, 1 << 16)];
  }

  static HttpResponse.BodyHandler<byte[]> handler(int max, String where) {
    return info -> new BoundedBody(max, where, info);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      if (n > max - size) {
        result.completeExceptionally(new PayloadTooLargeException("the response of " + where
            + " is larger than the limit of " + max + " bytes"));
        subscription.cancel();
        return;
      }
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(size + (long) n, 2L * buf.length)));
      }
      b.get(buf, size, n);
      size += n;
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(size == buf.length ? buf : Arrays.copyOf(buf, size));
  }
}
