package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.oip.proto.GRPCInferenceServiceGrpc;
import org.framecodec.oip.proto.InferTensorContents;
import org.framecodec.oip.proto.ModelInferRequest;
import org.framecodec.oip.proto.ModelInferResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC port against our client, the Python grpcio client (compiling our .proto), and
 * hostile callers: malformed messages, a message over the size limit, a call that never
 * finishes, a flood, bad credentials, an {@link Error} in the backend. Real BlazeFace behind it.
 */
class OipGrpcServerTest {
  private static Detector detector;
  private static DetectionBackend backend;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;

  @BeforeAll
  static void start() {
    detector = Detector.open(DetectorOptions.blazeFace(OipTestData.frontModel()));
    backend = DetectionBackend.serialised(detector);
    frames = OipTestData.frames();
    expected = detector.detectEncoded(frames).all();
    assertEquals(1, expected.get(0).size());
  }

  @AfterAll
  static void stop() {
    detector.close();
  }

  private static OipService service(DetectionBackend b) {
    return OipService.builder("detector", b, 100).build();
  }

  private static OipClient client(OipGrpcServer s) {
    return OipClient.builder(s.uri()).protocol(OipClient.Protocol.GRPC).build();
  }

  /** A raw blocking stub, to send what our client never would. */
  private static <T> T withStub(OipGrpcServer s, java.util.function.Function<GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub, T> f) {
    ManagedChannel ch = NettyChannelBuilder.forAddress(s.address()).usePlaintext().maxInboundMessageSize(64 << 20).build();
    try {
      return f.apply(GRPCInferenceServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS));
    } finally {
      ch.shutdownNow();
    }
  }

  private static StatusRuntimeException refused(OipGrpcServer s, ModelInferRequest r) {
    return assertThrows(StatusRuntimeException.class, () -> withStub(s, stub -> stub.modelInfer(r)));
  }

  private static ModelInferRequest.Builder images(ByteString raw, long... shape) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName("detector");
    ModelInferRequest.InferInputTensor.Builder t = b.addInputsBuilder().setName("images").setDatatype("BYTES");
    for (long d : shape) {
      t.addShape(d);
    }
    if (raw != null) {
      b.addRawInputContents(raw);
    }
    return b;
  }

  @Test
  void ourClientGetsTheDetectorsAnswer() throws IOException {
    try (OipGrpcServer s = OipGrpcServer.builder(service(backend)).start(); OipClient c = client(s)) {
      assertTrue(s.address().getAddress().isLoopbackAddress(), "loopback unless told otherwise");
      assertEquals(expected, c.detect(frames));
      InferResponse r;
      try (OipClient fixed = OipClient.builder(s.uri()).protocol(OipClient.Protocol.GRPC)
          .outputs(DetectorTensors.BOXES, DetectorTensors.SCORES, DetectorTensors.CLASSES, DetectorTensors.COUNTS).build()) {
        r = fixed.inferFrames(frames);
      }
      assertEquals(expected.stream().map(List::size).toList(),
          DetectorTensors.readFixed(r, frames.size()).stream().map(List::size).toList());
      assertTrue(c.serverLive() && c.serverReady() && c.modelReady());
      assertEquals(DetectorTensors.metadata("detector", 100, "onnx_onnxv1"), c.modelMetadata());
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.modelMetadata("face"));
      assertEquals("NOT_FOUND", e.grpcCode());
    }
  }

  @Test
  void thePythonGrpcClientGetsTheDetectorsAnswer() throws IOException {
    try (OipGrpcServer s = OipGrpcServer.builder(service(backend)).start()) {
      Path jpg = Files.createTempFile("astronaut", ".jpg");
      try {
        Files.write(jpg, frames.get(0).payloadCopy());
        String target = "127.0.0.1:" + s.address().getPort();
        for (String mode : List.of("infer", "infer-typed")) {
          String out = OipPeers.run("oip_grpc_peer.py", mode, "--target", target, "--mode", "cv2-yuv",
              "--outputs", "counts,detections", jpg.toString(), jpg.toString());
          assertTrue(out.contains("\"counts\": {\"datatype\": \"INT32\", \"shape\": [2], \"data\": [1, 1]}"), mode + ": " + out);
          assertTrue(out.contains("\"id\": \"py-1\""), out);
          assertEquals(List.of(expected.get(0), expected.get(0)), OipPeers.detections(out), mode);
        }
      } finally {
        Files.deleteIfExists(jpg);
      }
    }
  }

  @Test
  void malformedMessagesGetInvalidArgumentNamingTheProblem() throws IOException {
    ByteString one = ByteString.copyFrom(FrameTensors.jpegs("images", frames.subList(0, 1), false).data());
    try (OipGrpcServer s = OipGrpcServer.builder(service(backend)).start()) {
      StatusRuntimeException e = refused(s, images(one, 1).addRawInputContents(one).build());
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertEquals("raw_input_contents has 2 entries for 1 inputs; it needs one per input", e.getStatus().getDescription());

      ModelInferRequest.Builder both = images(one, 1);
      both.getInputsBuilder(0).setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("x")));
      e = refused(s, both.build());
      assertEquals("input 'images' has typed contents, but the request uses raw_input_contents; the protocol allows"
          + " one or the other", e.getStatus().getDescription());

      byte[] lying = new byte[] {(byte) 0xe8, 3, 0, 0, 1, 2, 3};
      e = refused(s, images(ByteString.copyFrom(lying), 1).build());
      assertEquals("tensor 'images': BYTES element 0 declares 1000 bytes, only 3 are left in the tensor data",
          e.getStatus().getDescription());

      e = refused(s, images(one, 2).build());
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().startsWith("tensor 'images'"), e.getStatus().getDescription());

      ModelInferRequest.Builder unknownType = images(one, 1);
      unknownType.getInputsBuilder(0).setDatatype("STRING");
      e = refused(s, unknownType.build());
      assertEquals("input 'images': unknown tensor datatype 'STRING'; expected one of BOOL, UINT8, UINT16, UINT32,"
          + " UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES", e.getStatus().getDescription());

      ModelInferRequest.Builder missing = images(one, 1);
      missing.getInputsBuilder(0).setName("image");
      e = refused(s, missing.build());
      assertTrue(e.getStatus().getDescription().startsWith("missing input 'images'"), e.getStatus().getDescription());

      e = refused(s, images(one, 1).setModelName("face").build());
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      assertEquals("unknown model 'face'; this server has 'detector'", e.getStatus().getDescription());

      // The server keeps serving after all that.
      assertEquals(1, withStub(s, stub -> stub.modelInfer(images(one, 1).build())).getOutputsCount() > 0 ? 1 : 0);
    }
  }

  @Test
  void aMessageOverTheSizeLimitIsRefusedWithResourceExhausted() throws IOException {
    try (OipGrpcServer s = OipGrpcServer.builder(service(backend)).maxMessageBytes(64 << 10).start(); OipClient c = client(s)) {
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(frames));
      assertEquals("RESOURCE_EXHAUSTED", e.grpcCode());
      assertEquals(413, e.httpStatus());
      assertTrue(e.serverMessage().contains("exceeds maximum size 65536"), e.serverMessage());
      // One small frame still fits.
      EncodedFrame small = OipTestData.frames(org.framecodec.codec.EncodeOptions.ycbcr(30,
          org.framecodec.codec.Subsampling.S420)).get(0);
      assertTrue(small.payloadLength() < 60_000, "payload " + small.payloadLength());
      assertEquals(1, c.detect(List.of(small)).size());
    }
  }

  @Test
  void aCallThatNeverFinishesIsClosedAtTheCallTimeoutWhileOthersAreServed() throws Exception {
    try (OipGrpcServer s = OipGrpcServer.builder(service(backend)).callTimeout(Duration.ofSeconds(2)).start();
        OipClient c = client(s)) {
      ManagedChannel ch = NettyChannelBuilder.forAddress(s.address()).usePlaintext().build();
      try {
        ClientCall<ModelInferRequest, ModelInferResponse> call =
            ch.newCall(GRPCInferenceServiceGrpc.getModelInferMethod(), CallOptions.DEFAULT);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        }, new Metadata());
        call.request(1);
        call.sendMessage(images(ByteString.copyFrom(FrameTensors.jpegs("images", frames.subList(0, 1), false).data()), 1).build());
        // ...and never half-closes: a unary server would wait for ever.
        long t0 = System.nanoTime();
        assertEquals(expected.subList(0, 1), c.detect(frames.subList(0, 1)), "others are served meanwhile");
        Status st = closed.get(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Status.Code.DEADLINE_EXCEEDED, st.getCode());
        assertEquals("the call did not complete within PT2S (the server's call timeout)", st.getDescription());
        assertTrue(ms < 15_000, ms + " ms");
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aFloodIsRefusedWithUnavailableAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(2);
    DetectionBackend slow = fs -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return backend.detect(fs);
    };
    try (OipGrpcServer s = OipGrpcServer.builder(service(slow)).workers(2).maxQueued(0).start();
        OipClient a = client(s); OipClient b = client(s); OipClient c = client(s)) {
      CompletableFuture<List<List<Detection>>> first = a.detectAsync(frames.subList(0, 1));
      CompletableFuture<List<List<Detection>>> second = b.detectAsync(frames.subList(0, 1));
      assertTrue(entered.await(30, TimeUnit.SECONDS), "both calls are in the backend");
      long t0 = System.nanoTime();
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(frames.subList(0, 1)));
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
      assertEquals("UNAVAILABLE", e.grpcCode());
      assertEquals(503, e.httpStatus());
      assertEquals("the server is running 2 inference calls, its most; retry", e.serverMessage());
      release.countDown();
      assertEquals(expected.subList(0, 1), first.get(30, TimeUnit.SECONDS));
      assertEquals(expected.subList(0, 1), second.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void aMissingOrWrongTokenIsUnauthenticated() throws IOException {
    try (OipGrpcServer s = OipGrpcServer.builder(service(backend)).token(org.framecodec.transport.BearerToken.of("s3cret-token")).start()) {
      try (OipClient none = client(s)) {
        OipStatusException e = assertThrows(OipStatusException.class, () -> none.detect(frames.subList(0, 1)));
        assertEquals("UNAUTHENTICATED", e.grpcCode());
        assertEquals("missing bearer token", e.serverMessage());
        assertThrows(OipStatusException.class, none::serverLive, "every call, health included");
      }
      try (OipClient wrong = OipClient.builder(s.uri()).protocol(OipClient.Protocol.GRPC).token("s3cret-tokem").build()) {
        OipStatusException e = assertThrows(OipStatusException.class, () -> wrong.detect(frames.subList(0, 1)));
        assertEquals(401, e.httpStatus());
        assertEquals("wrong bearer token", e.serverMessage());
        assertTrue(!e.getMessage().contains("s3cret"), "the token is never echoed: " + e.getMessage());
      }
      try (OipClient right = OipClient.builder(s.uri()).protocol(OipClient.Protocol.GRPC).token("s3cret-token").build()) {
        assertEquals(expected.subList(0, 1), right.detect(frames.subList(0, 1)));
      }
    }
  }

  @Test
  void anErrorInTheBackendIsUnavailableAndTheServerGoesOn() throws IOException {
    boolean[] fail = {true};
    DetectionBackend flaky = fs -> {
      if (fail[0]) {
        fail[0] = false;
        throw new OutOfMemoryError("Cannot reserve 117 MB of direct buffer memory");
      }
      return backend.detect(fs);
    };
    try (OipGrpcServer s = OipGrpcServer.builder(service(flaky)).start(); OipClient c = client(s)) {
      OipStatusException e = assertThrows(OipStatusException.class, () -> c.detect(frames.subList(0, 1)));
      assertEquals("UNAVAILABLE", e.grpcCode());
      assertTrue(e.serverMessage().contains("OutOfMemoryError"), e.serverMessage());
      assertEquals(expected.subList(0, 1), c.detect(frames.subList(0, 1)));
    }
  }
}
