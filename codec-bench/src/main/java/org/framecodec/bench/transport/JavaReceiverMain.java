package org.framecodec.bench.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_core;
import org.framecodec.Limits;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.transport.InferenceServer;

/**
 * The Java receiver as its own process, so the transport benchmark can read its CPU time from
 * /proc like the Python peer's: {@link InferenceServer} with our TurboJPEG decoder and the
 * BlazeFace detector on 127.0.0.1. Prints {@code PORT n} once it listens and serves until stdin
 * closes, so it never outlives the benchmark that started it.
 *
 * <pre>java -cp codec-bench.jar org.framecodec.bench.transport.JavaReceiverMain MODEL.onnx [OPENCV_THREADS]</pre>
 */
public final class JavaReceiverMain {
  private JavaReceiverMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: JavaReceiverMain MODEL.onnx [OPENCV_THREADS]");
      System.exit(2);
    }
    // Same as the Python peer's cv2.setNumThreads: client and server share 2 cores here.
    opencv_core.setNumThreads(args.length == 2 ? Integer.parseInt(args[1]) : 1);
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(Path.of(args[0])));
        InferenceServer server = InferenceServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), detector, Limits.defaults())) {
      System.out.println("PORT " + server.address().getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // drain until the parent closes our stdin
      }
    }
  }
}
