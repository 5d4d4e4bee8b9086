package org.framecodec.kafka;

import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Small real frames for the broker tests: 128x128 BGR views of the astronaut portrait
 * ({@link CorpusFrames#astronaut()}), most with the face at a
 * different place, some without it. 128x128 is BlazeFace front's input, so the detector does no
 * resize and a few thousand frames run in seconds on two cores.
 */
final class KafkaTestFrames {
  /** The encoding the tests send: the Python peer's recipe at quality 80. */
  static final EncodeOptions OPTIONS = EncodeOptions.cv2Yuv(80);
  static final int SIZE = 128;

  private KafkaTestFrames() {}

  /** {@code count} distinct frames: 256x256 windows of the 512x512 portrait halved to 128x128. */
  static List<Frame> distinct(int count) {
    Frame astronaut = CorpusFrames.astronaut();
    List<Frame> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int x0;
      int y0;
      if (i % 4 == 3) {
        // The lower right: suit and flag, no face.
        x0 = 256 - 8 * (i % 5);
        y0 = 256 - 8 * (i % 7);
      } else {
        // The face (x 178..271, y 82..175) stays inside every such window.
        x0 = 16 + (i * 37) % 160;
        y0 = (i * 23) % 80;
      }
      out.add(halve(astronaut.crop(x0, y0, 256, 256)));
    }
    return out;
  }

  /** Each frame encoded with {@link #OPTIONS}, as the producer encodes them. */
  static List<EncodedFrame> encode(List<Frame> frames) {
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      List<EncodedFrame> out = new ArrayList<>();
      for (Frame f : frames) {
        out.add(codec.encodeFrame(f, OPTIONS));
      }
      return out;
    }
  }

  /** BlazeFace front (dynamic batch), the project's test model. */
  static Detector openDetector() {
    return Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
  }

  /** What the in-process detector finds in each payload, one call per frame. */
  static List<List<Detection>> expected(List<EncodedFrame> payloads) {
    try (Detector d = openDetector()) {
      List<List<Detection>> out = new ArrayList<>();
      for (EncodedFrame f : payloads) {
        out.add(d.detectEncoded(List.of(f)).get(0));
      }
      return out;
    }
  }

  /** 2x2 box filter: a real downscale, so the face looks like a face at 128x128. */
  private static Frame halve(Frame src) {
    int w = src.width() / 2;
    int h = src.height() / 2;
    Frame dst = Frame.allocate(PixelFormat.BGR, w, h);
    byte[] d = dst.array();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int sum = src.get(2 * x, 2 * y, c) + src.get(2 * x + 1, 2 * y, c)
              + src.get(2 * x, 2 * y + 1, c) + src.get(2 * x + 1, 2 * y + 1, c);
          d[(y * w + x) * 3 + c] = (byte) ((sum + 2) / 4);
        }
      }
    }
    return dst;
  }
}
