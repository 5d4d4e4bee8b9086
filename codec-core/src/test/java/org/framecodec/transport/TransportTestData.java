package org.framecodec.transport;

import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;

/**
 * The transport tests' payloads (the astronaut and the 1080p photographs of {@link CorpusFrames} as
 * cv2-yuv q80, the source recipe, tagged as one stream) and our own detector's answer for them.
 */
final class TransportTestData {
  private TransportTestData() {}

  /** The astronaut portrait (one face) first, then the three 1080p photographs. */
  static List<EncodedFrame> frames() {
    List<EncodedFrame> out = new ArrayList<>();
    long ts = 1_718_000_000_000_000L;
    for (EncodedFrame f : CorpusFrames.faceThenPhotos(EncodeOptions.cv2Yuv(80))) {
      out.add(f.toBuilder().timestampMicros(ts += 20_000).streamId("cam-1").build());
    }
    return out;
  }

  /** What our own detector finds in each payload, decoded in-process. */
  static List<List<Detection>> local(Detector detector, List<EncodedFrame> frames) {
    return detector.detectEncoded(frames).all();
  }
}
