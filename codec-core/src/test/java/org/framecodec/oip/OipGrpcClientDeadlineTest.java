package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.oip.proto.GRPCInferenceServiceGrpc;
import org.framecodec.oip.proto.ModelInferRequest;
import org.framecodec.oip.proto.ModelInferResponse;
import org.framecodec.oip.proto.ServerLiveRequest;
import org.framecodec.oip.proto.ServerLiveResponse;
import org.framecodec.transport.TransportException;
import org.junit.jupiter.api.Test;

/**
 * The gRPC client's deadline against peers that never answer: a real grpc-java server whose
 * calls are accepted and then left open, and a socket that accepts the connection and never
 * speaks HTTP/2. Every call, sync or async, ends by its deadline with a {@link
 * TransportException}, not an {@link OipStatusException}, and the client closes cleanly after.
 */
class OipGrpcClientDeadlineTest {
  private static final Duration DEADLINE = Duration.ofMillis(800);
  private static final List<EncodedFrame> ONE = OipTestData.frames().subList(0, 1);

  /** Runs the call, which must fail with {@code type}, within a few deadlines of wall time. */
  private static <T extends Throwable> T failsInTime(Class<T> type, org.junit.jupiter.api.function.Executable call) {
    long t0 = System.nanoTime();
    T e = assertThrows(type, call);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= DEADLINE.toMillis() - 50, "ended after " + ms + " ms, before the deadline of " + DEADLINE);
    assertTrue(ms < 5 * DEADLINE.toMillis() + 2000, "took " + ms + " ms for a deadline of " + DEADLINE);
    return e;
  }

  private static OipClient client(int port) {
    return OipClient.builder(URI.create("http://127.0.0.1:" + port)).protocol(OipClient.Protocol.GRPC)
        .timeout(DEADLINE).build();
  }

  /** Accepts every call and never completes it (the observers are kept so nothing is collected). */
  private static final class Stalling extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    final ConcurrentLinkedQueue<StreamObserver<?>> held = new ConcurrentLinkedQueue<>();

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
      held.add(observer);
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
      held.add(observer);
    }
  }

  @Test
  void aGrpcServerThatNeverAnswersIsCutOffAtTheDeadline() throws Exception {
    Stalling stalling = new Stalling();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(stalling).build().start();
    try (OipClient c = client(server.getPort())) {
      TransportException e = failsInTime(TransportException.class, () -> c.detect(ONE));
      assertFalse(e instanceof OipStatusException, e.toString());
      assertTrue(e.getMessage().contains("ModelInfer on gRPC 127.0.0.1:" + server.getPort()
          + " did not complete within PT0.8S"), e.getMessage());
      failsInTime(TransportException.class, c::serverLive);
      // The async form completes exceptionally by the deadline too, without anyone blocking on it.
      CompletableFuture<?> f = c.detectAsync(ONE);
      CompletionException ce = failsInTime(CompletionException.class, f::join);
      assertTrue(ce.getCause() instanceof TransportException, String.valueOf(ce.getCause()));
      assertTrue(stalling.held.size() >= 3, "the server did receive the calls: " + stalling.held.size());
    } finally {
      server.shutdownNow();
      assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPeerThatAcceptsAndNeverSpeaksIsCutOffAtTheDeadline() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
      ConcurrentLinkedQueue<Socket> accepted = new ConcurrentLinkedQueue<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // held open, never read or written
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "silent-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      try (OipClient c = client(silent.getLocalPort())) {
        TransportException e = failsInTime(TransportException.class, () -> c.detect(ONE));
        assertFalse(e instanceof OipStatusException, e.toString());
        assertTrue(e.getMessage().contains("did not complete within PT0.8S"), e.getMessage());
        assertFalse(accepted.isEmpty(), "the client did connect");
      } finally {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }
}
