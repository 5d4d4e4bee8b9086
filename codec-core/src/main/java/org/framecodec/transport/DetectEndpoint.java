package org.framecodec.transport;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;

/**
 * {@code POST /detect}: reads the body in any framing {@link WireReader} detects, runs its frames
 * through the {@link DetectionGate} (header budgets, the process-wide pixel budget, 503 when it is
 * full: {@link PixelBudgetException}, the detector) and answers with a {@link DetectionsJson}
 * document. Thread-safe.
 */
final class DetectEndpoint implements Endpoint {
  private final WireReader reader;
  private final DetectionGate gate;
  private final DetectionsJson json = new DetectionsJson();

  DetectEndpoint(DetectionGate gate) {
    this.reader = new WireReader(gate.limits(), JpegMode.CV2_YUV);
    this.gate = gate;
  }

  @Override
  public ServerResponse handle(ServerRequest request) {
    WireMessage msg = reader.read(request.bodyArray(), 0, request.bodyLength());
    List<EncodedFrame> frames = msg.frames();
    List<List<Detection>> result = frames.isEmpty() ? List.of() : gate.detect(frames);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * result.size());
    json.write(result, out);
    return ServerResponse.json(out.toByteArray());
  }
}
