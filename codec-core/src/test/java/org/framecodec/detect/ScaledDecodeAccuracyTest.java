package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.DecodeScale;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.FaceSet;
import org.framecodec.frames.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decoding at the model's scale changes the pixels the model sees; it must not change what it
 * finds. The scaled path finds the same faces as the full-size path (the same count per image,
 * each box at IoU >= 0.9 with its counterpart, each score within 0.02), on both decoders, on two
 * sets: the sweep's face set with the front (128x128) model, and the three 1080p corpus
 * photographs with the portrait composited in at three sizes with the back (256x256) model, whose
 * anchors suit faces that small in a stream-sized frame. Both paths run the production detector;
 * only {@link DetectorOptions.Builder#scaledDecode(boolean)} differs.
 */
class ScaledDecodeAccuracyTest {
  private static final double MIN_IOU = 0.9;
  private static final double SCORE_TOLERANCE = 0.02;

  static List<FaceSet.Scene> faceSet() {
    return FaceSet.of(CorpusFrames.astronaut());
  }

  static List<FaceSet.Scene> composites() {
    Frame portrait = CorpusFrames.astronaut();
    // Portraits of 600 to 1000 px put the face at 100 to 190 px, 13 to 25 px in the model's input.
    // Smaller ones (480 px: a 7 px box for the model) are below what BlazeFace boxes stably at
    // all: a one-pixel shift there is IoU 0.85, whichever path decoded the frame.
    int[][] placements = {{600, 200, 300}, {800, 1000, 150}, {1000, 500, 40}};
    List<FaceSet.Scene> scenes = new ArrayList<>();
    for (String photo : CorpusFrames.PHOTOS) {
      for (int[] p : placements) {
        scenes.add(new FaceSet.Scene(photo + " + face " + p[0] + " at " + p[1] + "," + p[2],
            FaceSet.composite(CorpusFrames.photo(photo), portrait, p[0], p[1], p[2])));
      }
    }
    return scenes;
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void onTheFaceSetTheScaledPathFindsWhatTheFullSizePathFinds(CodecBackend decoder) {
    int faces = assertSameFaces(faceSet(), CorpusFrames.frontModel(), decoder);
    assertTrue(faces >= 10, faces + " faces: every scene has the portrait's face, the pair has two");
  }

  @ParameterizedTest
  @EnumSource(CodecBackend.class)
  void onComposited1080pPhotosTheScaledPathFindsWhatTheFullSizePathFinds(CodecBackend decoder) {
    int faces = assertSameFaces(composites(), CorpusFrames.backModel(), decoder);
    assertTrue(faces >= 9, faces + " faces in 9 composites");
  }

  /** Runs both paths over the scenes' cv2-yuv q80 payloads; returns the faces compared. */
  private static int assertSameFaces(List<FaceSet.Scene> scenes, Path model, CodecBackend decoder) {
    List<EncodedFrame> payloads = new ArrayList<>();
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      for (FaceSet.Scene s : scenes) {
        payloads.add(codec.encodeFrame(s.frame(), EncodeOptions.cv2Yuv(80)));
      }
    }
    DetectorOptions base = DetectorOptions.blazeFace(model).toBuilder()
        .device(DnnDevice.CPU).decoder(decoder).maxBatch(16).build();
    List<List<Detection>> full;
    List<List<Detection>> scaled;
    try (Detector d = Detector.open(base.toBuilder().scaledDecode(false).build())) {
      full = d.detectEncoded(payloads).all();
    }
    try (Detector d = Detector.open(base)) {
      scaled = d.detectEncoded(payloads).all();
    }
    int faces = 0;
    for (int i = 0; i < payloads.size(); i++) {
      String what = decoder + " " + scenes.get(i).name();
      assertEquals(full.get(i).size(), scaled.get(i).size(),
          what + ": full " + full.get(i) + " scaled " + scaled.get(i));
      for (Detection f : full.get(i)) {
        Detection best = null;
        for (Detection s : scaled.get(i)) {
          if (best == null || f.box().iou(s.box()) > f.box().iou(best.box())) {
            best = s;
          }
        }
        double iou = f.box().iou(best.box());
        assertTrue(iou >= MIN_IOU, what + ": IoU " + iou + " of " + f + " and " + best);
        assertTrue(Math.abs(f.score() - best.score()) <= SCORE_TOLERANCE,
            what + ": score " + best.score() + " vs " + f.score());
        faces++;
      }
    }
    return faces;
  }

  @Test
  void a1080pFrameDecodesAtAQuarterForTheFrontModelAndAHalfForTheBackModel() {
    Letterbox front = Letterbox.of(1920, 1080, InputSpec.blazeFace(128));
    assertEquals(DecodeScale.QUARTER, DecodeScale.coarsestCovering(1920, 1080,
        FrameFiller.COVER * front.resizedWidth(), FrameFiller.COVER * front.resizedHeight()));
    Letterbox back = Letterbox.of(1920, 1080, InputSpec.blazeFace(256));
    assertEquals(DecodeScale.HALF, DecodeScale.coarsestCovering(1920, 1080,
        FrameFiller.COVER * back.resizedWidth(), FrameFiller.COVER * back.resizedHeight()));
  }
}
