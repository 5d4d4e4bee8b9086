package org.framecodec.transport;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.detect.Detection;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;

/**
 * {@code POST /detect}: reads the body in any framing {@link WireReader} detects, budgets the
 * frames from their headers ({@link RequestBudget}), reserves their pixels from the process-wide
 * budget (503 when it is full: {@link PixelBudgetException}), runs the detector through the
 * {@link DetectorLane} and answers with a {@link DetectionsJson} document. Thread-safe.
 */
final class DetectEndpoint implements Endpoint {
  private final WireReader reader;
  private final Limits limits;
  private final MemoryBudget pixels;
  private final DetectorLane lane;
  private final DetectionsJson json = new DetectionsJson();

  DetectEndpoint(Limits limits, MemoryBudget pixels, DetectorLane lane) {
    this.reader = new WireReader(limits, JpegMode.CV2_YUV);
    this.limits = limits;
    this.pixels = pixels;
    this.lane = lane;
  }

  @Override
  public ServerResponse handle(ServerRequest request) {
    WireMessage msg = reader.read(request.bodyArray(), 0, request.bodyLength());
    List<EncodedFrame> frames = msg.frames();
    List<List<Detection>> result = List.of();
    if (!frames.isEmpty()) {
      long declared = RequestBudget.check(frames, limits);
      if (!pixels.tryReserve(declared)) {
        throw new PixelBudgetException("the server holds " + pixels.used() + " of its "
            + pixels.capacity() + " in-flight pixels (maxInFlightPixels); this request's "
            + declared + " do not fit now, retry");
      }
      try {
        result = lane.detect(frames).all();
      } finally {
        pixels.release(declared);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * result.size());
    json.write(result, out);
    return ServerResponse.json(out.toByteArray());
  }
}
