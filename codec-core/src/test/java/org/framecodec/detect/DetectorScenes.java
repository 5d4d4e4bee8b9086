package org.framecodec.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.FaceSet;

/**
 * The pipeline tests' payloads and what the serial path detects in them: the face set's scenes
 * and a 1080p photograph as cv2-yuv q80, with the CPU detector of {@link #options()}. Computed
 * once per test JVM.
 */
final class DetectorScenes {
  private static List<EncodedFrame> payloads;
  private static List<List<Detection>> serial;

  private DetectorScenes() {}

  /** The BlazeFace front model on the CPU, batches of 4. */
  static DetectorOptions.Builder options() {
    return DetectorOptions.blazeFace(CorpusFrames.frontModel()).toBuilder().device(DnnDevice.CPU)
        .maxBatch(4);
  }

  static synchronized List<EncodedFrame> payloads() {
    if (payloads == null) {
      List<EncodedFrame> scenes = new ArrayList<>();
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        for (FaceSet.Scene s : FaceSet.of(CorpusFrames.astronaut())) {
          scenes.add(codec.encodeFrame(s.frame(), EncodeOptions.cv2Yuv(80)));
        }
        scenes.add(codec.encodeFrame(CorpusFrames.photo("kite-sky-1080p.png"),
            EncodeOptions.cv2Yuv(80)));
      }
      payloads = List.copyOf(scenes);
    }
    return payloads;
  }

  /** {@link #payloads()} with item 5 cut short (its second half zeroed) and item 8 not a JPEG. */
  static List<EncodedFrame> withTwoCorrupt() {
    List<EncodedFrame> bad = new ArrayList<>(payloads());
    byte[] broken = bad.get(5).payloadCopy();
    Arrays.fill(broken, broken.length / 2, broken.length, (byte) 0);
    bad.set(5, bad.get(5).toBuilder().payload(broken).build());
    bad.set(8, bad.get(8).toBuilder().payload(new byte[] {1, 2, 3}).build());
    return bad;
  }

  /** What the serial path (no workers) detects in each of {@link #payloads()}. */
  static synchronized List<List<Detection>> serial() {
    if (serial == null) {
      try (Detector d = Detector.open(options().decodeThreads(0).build())) {
        serial = d.detectEncoded(payloads()).all();
      }
    }
    return serial;
  }
}
