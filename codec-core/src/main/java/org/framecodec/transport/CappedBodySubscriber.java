package org.framecodec.transport;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.framecodec.PayloadTooLargeException;

/**
 * Collects a response body into one array, counting as it streams: past {@code cap} bytes it
 * cancels the subscription (the client drops the connection) and fails with
 * {@link PayloadTooLargeException}, so an endless or huge body costs at most {@code cap} bytes.
 * With {@code truncate}, it instead keeps the first {@code cap} bytes and stops (error bodies,
 * which are only quoted). The array is presized from {@code Content-Length} when that is within
 * the cap (a hint, never trusted for the cap). One response; thread-safe as the {@link Flow}
 * contract requires. {@link HttpBodies} hands these out to other packages.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final int cap;
  private final boolean truncate;
  private final String tooLarge;
  private Flow.Subscription subscription;
  private byte[] buf;
  private int size;

  /** {@code tooLarge} is the message of the {@link PayloadTooLargeException}; unused with {@code truncate}. */
  CappedBodySubscriber(int cap, boolean truncate, String tooLarge, HttpResponse.ResponseInfo info) {
    this.cap = cap;
    this.truncate = truncate;
    this.tooLarge = tooLarge;
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    this.buf = new byte[declared >= 0 && declared <= cap ? (int) declared : Math.min(cap, 8192)];
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
      if ((long) size + n > cap) {
        if (truncate) {
          b.get(grow(cap), size, cap - size);
          size = cap;
          subscription.cancel();
          result.complete(Arrays.copyOf(buf, size));
        } else {
          subscription.cancel();
          result.completeExceptionally(new PayloadTooLargeException(tooLarge));
        }
        return;
      }
      b.get(grow(size + n), size, n);
      size += n;
    }
  }

  private byte[] grow(int need) {
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(cap, Math.max(need, 2L * buf.length)));
    }
    return buf;
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
