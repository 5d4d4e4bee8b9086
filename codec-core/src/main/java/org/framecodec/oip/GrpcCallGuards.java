package org.framecodec.oip;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.framecodec.transport.BearerToken;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's per-call guards, as interceptors: a bearer token, and a time limit on the
 * whole call, so a client that opens a call and never finishes sending it (the gRPC slow-loris)
 * holds a stream for {@code callTimeout} at most. Thread-safe.
 */
final class GrpcCallGuards {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcCallGuards() {}

  /** Refuses calls without {@code authorization: Bearer <token>}, comparing in constant time. */
  static ServerInterceptor bearer(BearerToken token) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String got = headers.get(AUTHORIZATION);
        if (!token.matches(got)) {
          // The token is never echoed or logged.
          call.close(Status.UNAUTHENTICATED.withDescription(got == null ? "missing bearer token"
              : "wrong bearer token"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** Closes any call still open after {@code timeout} with {@code DEADLINE_EXCEEDED}. */
  static ServerInterceptor callTimeout(Duration timeout, ScheduledExecutorService timer) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        GuardedCall<Q, R> guarded = new GuardedCall<>(call);
        ScheduledFuture<?> alarm = timer.schedule(() -> guarded.closeIfOpen(Status.DEADLINE_EXCEEDED.withDescription(
            "the call did not complete within " + timeout + " (the server's call timeout)")),
            timeout.toNanos(), TimeUnit.NANOSECONDS);
        ServerCall.Listener<Q> listener = next.startCall(guarded, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
          @Override
          public void onComplete() {
            alarm.cancel(false);
            super.onComplete();
          }

          @Override
          public void onCancel() {
            alarm.cancel(false);
            super.onCancel();
          }
        };
      }
    };
  }

  /**
   * A call that two threads may close (the application and the alarm): every method runs under
   * one lock, and whatever comes after the first close is dropped.
   */
  private static final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private boolean closed;

    GuardedCall(ServerCall<Q, R> call) {
      super(call);
    }

    synchronized void closeIfOpen(Status status) {
      if (!closed) {
        closed = true;
        super.close(status, new Metadata());
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void request(int n) {
      if (!closed) {
        super.request(n);
      }
    }
  }
}
