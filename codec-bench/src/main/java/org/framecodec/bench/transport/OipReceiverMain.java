package org.framecodec.bench.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegHeaders;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.oip.OipGrpcServer;
import org.framecodec.oip.OipRoutes;
import org.framecodec.oip.OipService;
import org.framecodec.transport.DetectionsJson;
import org.framecodec.transport.Endpoint;
import org.framecodec.transport.InferenceServer;
import org.framecodec.transport.ServerResponse;
import org.framecodec.wire.WireReader;

/**
 * The receiver of the Open Inference Protocol benchmark as its own process, so its CPU time can
 * be read from /proc: {@link InferenceServer} on 127.0.0.1 with {@code POST /detect} (our JSON
 * envelope and raw container) and the protocol's REST routes, and the protocol's gRPC port
 * beside it. Prints {@code PORT n} (the HTTP port) once it listens; {@code GET /grpc-port} names
 * the gRPC port. Serves until stdin closes.
 *
 * <p>Backends: {@code detector} runs BlazeFace on every frame, through the receiver's gate;
 * {@code none} measures the transport alone: every body is parsed and every frame's JPEG header
 * read and checked, as before detection, and each frame gets an empty answer, without decoding.
 *
 * <p>{@code GRPC_WINDOW} (bytes, 0 = grpc-java's auto-tuned window) fixes the gRPC port's HTTP/2
 * flow-control window ({@link OipGrpcServer.Builder#flowControlWindow}).
 *
 * <pre>java -cp codec-bench.jar org.framecodec.bench.transport.OipReceiverMain MODEL.onnx detector|none [OPENCV_THREADS [GRPC_WINDOW]]</pre>
 */
public final class OipReceiverMain {
  private OipReceiverMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 4 || !List.of("detector", "none").contains(args[1])) {
      System.err.println("usage: OipReceiverMain MODEL.onnx detector|none [OPENCV_THREADS [GRPC_WINDOW]]");
      System.exit(2);
    }
    // Same as the other receivers of the transport benchmarks: client and server share the cores.
    opencv_core.setNumThreads(args.length >= 3 ? Integer.parseInt(args[2]) : 1);
    int grpcWindow = args.length == 4 ? Integer.parseInt(args[3]) : 0;
    Limits limits = InferenceServer.DEFAULT_LIMITS;
    Detector detector = args[1].equals("detector") ? Detector.open(DetectorOptions.blazeFace(Path.of(args[0]))) : null;
    try {
      InferenceServer.Builder b = InferenceServer.builder().limits(limits);
      OipService oip;
      if (detector != null) {
        b.detector(detector);
        oip = OipRoutes.service("detector", b.detectionGate());
      } else {
        b.route("POST", InferenceServer.PATH, headersOnly(limits));
        oip = OipService.builder("detector", OipReceiverMain::empty, 100).limits(limits).build();
      }
      OipRoutes.install(b, oip);
      OipGrpcServer.Builder g = OipGrpcServer.builder(oip).workers(1);
      if (grpcWindow > 0) {
        g.flowControlWindow(grpcWindow);
      }
      try (OipGrpcServer grpc = g.start()) {
        int grpcPort = grpc.address().getPort();
        b.route("GET", "/grpc-port", request -> ServerResponse.text(200, Integer.toString(grpcPort)));
        try (InferenceServer server = b.start()) {
          System.out.println("PORT " + server.address().getPort());
          System.out.flush();
          while (System.in.read() >= 0) {
            // drain until the parent closes our stdin
          }
        }
      }
    } finally {
      if (detector != null) {
        detector.close();
      }
    }
  }

  private static List<List<Detection>> empty(List<EncodedFrame> frames) {
    List<List<Detection>> out = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      out.add(List.of());
    }
    return out;
  }

  /** {@code POST /detect} without the detector: the body read, every JPEG header checked, no decode. */
  private static Endpoint headersOnly(Limits limits) {
    WireReader reader = new WireReader(limits, JpegMode.CV2_YUV);
    DetectionsJson json = new DetectionsJson();
    return request -> {
      List<EncodedFrame> frames = reader.read(request.bodyArray(), 0, request.bodyLength()).frames();
      for (EncodedFrame f : frames) {
        var info = JpegHeaders.read(f.payloadArray(), f.payloadOffset(), f.payloadLength());
        limits.checkPixels(info.width(), info.height());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 4 * frames.size());
      json.write(empty(frames), out);
      return ServerResponse.json(out.toByteArray());
    };
  }
}
