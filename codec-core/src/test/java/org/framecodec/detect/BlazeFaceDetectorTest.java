package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BlazeFace front and back (dynbatch) on the astronaut portrait, against an independent reference. */
class BlazeFaceDetectorTest {
  /**
   * Reference, independent of this code: Debian python3-opencv 4.6.0 DNN on the ORIGINAL batch-1
   * model ../shared/models/blazeface/face_detection_front_128x128.onnx, decoded by
   * codec-core/src/test/python/blazeface_reference.py (anchor 143, score 0.92104818):
   * box (178.680, 82.252, 271.214, 174.786). The dynbatch model gives the same numbers there.
   */
  static final Box FRONT_REFERENCE = new Box(178.680f, 82.252f, 271.214f, 174.786f);
  static final float FRONT_REFERENCE_SCORE = 0.92104818f;
  /** Same script, ../shared/models/blazeface/face_detection_back_256x256.onnx: anchor 111, score 0.87838687. */
  static final Box BACK_REFERENCE = new Box(171.955f, 74.243f, 277.327f, 179.615f);
  static final float BACK_REFERENCE_SCORE = 0.87838687f;

  static Detector front;
  static Frame astronaut;

  @BeforeAll
  static void open() {
    front = Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
    astronaut = CorpusFrames.astronaut();
  }

  @AfterAll
  static void close() {
    front.close();
  }

  @Test
  void findsExactlyTheAstronautsFace() {
    List<Detection> faces = front.detect(astronaut);

    assertEquals(1, faces.size(), () -> "faces: " + faces);
    Detection face = faces.get(0);
    assertTrue(face.score() >= 0.75f, "score " + face.score());
    assertEquals(FRONT_REFERENCE_SCORE, face.score(), 1e-3, "score vs python3-opencv 4.6");
    float iou = face.box().iou(FRONT_REFERENCE);
    assertTrue(iou >= 0.8f, "IoU " + iou + " of " + face.box() + " vs " + FRONT_REFERENCE);
    assertEquals(0, face.classId());
    assertEquals(BlazeFaceHead.KEYPOINTS, face.keypoints().size());
    // Eyes, nose and mouth lie inside the box. The ear tragions sit on the box's left and right
    // edges: the model puts the right one 1.4 px outside (177.3 vs x1 = 178.7, the same in the
    // python3-opencv reference), so they are held to the box grown by 5% of its width per side.
    Box b = face.box();
    float m = 0.05f * b.width();
    Box withEars = new Box(b.x1() - m, b.y1() - m, b.x2() + m, b.y2() + m);
    for (int i = 0; i < BlazeFaceHead.KEYPOINTS; i++) {
      Keypoint k = face.keypoints().get(i);
      Box bounds = i < 4 ? b : withEars;
      assertTrue(bounds.contains(k.x(), k.y()), "keypoint " + i + " " + k + " outside " + bounds);
    }
    // The landmarks are where the anatomy is: eyes above the nose, nose above the mouth, the
    // subject's right eye (image left) left of the left eye.
    List<Keypoint> k = face.keypoints();
    assertTrue(k.get(0).x() < k.get(1).x() && k.get(0).y() < k.get(2).y()
        && k.get(1).y() < k.get(2).y() && k.get(2).y() < k.get(3).y(), "landmarks " + k);
  }

  @Test
  void mirroredFrameGivesTheMirroredBox() {
    // Pins the anchor centres: at cell corners instead of cell centres, the mirrored box would
    // be 32 px off (16 image px in each direction), see docs/detector.md.
    byte[] src = astronaut.array();
    byte[] flipped = new byte[src.length];
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        System.arraycopy(src, (y * 512 + x) * 3, flipped, (y * 512 + 511 - x) * 3, 3);
      }
    }
    Box b = front.detect(astronaut).get(0).box();
    List<Detection> faces = front.detect(Frame.wrap(flipped, PixelFormat.BGR, 512, 512));
    assertEquals(1, faces.size(), () -> "faces: " + faces);
    Box f = faces.get(0).box();
    float centreDiff = (b.x1() + b.x2()) / 2 - (512 - f.x2() + 512 - f.x1()) / 2;
    assertEquals(0f, centreDiff, 2f, "x centre of " + b + " vs mirrored " + f);
  }

  @Test
  void reportsWhatRan() {
    DetectorInfo info = front.info();
    assertEquals("blazeface", info.head());
    assertTrue(info.dynamicBatch());
    assertEquals(DetectorOptions.DEFAULT_MAX_BATCH, info.maxBatch());
    assertEquals(InputSpec.blazeFace(128), info.input());
    assertEquals(DnnDevice.AUTO, info.requested());
    if (DnnSession.cudaUnavailableReason() != null) {
      assertEquals(DnnTarget.CPU, info.target());
      assertTrue(info.fallbackReason().isPresent());
    }
  }

  @Test
  void sameDetectionAloneAndInABatchOf16() {
    List<Frame> batch = new ArrayList<>(otherFrames());
    batch.add(7, astronaut);
    assertEquals(16, batch.size());

    DetectionBatch result = front.detect(batch);

    assertEquals(16, result.size());
    Detection alone = front.detect(astronaut).get(0);
    assertEquals(1, result.get(7).size(), () -> "faces: " + result.get(7));
    assertSame(alone, result.get(7).get(0), 1e-4f);
    for (int i = 0; i < batch.size(); i++) {
      assertSameDetections(front.detect(batch.get(i)), result.get(i), 1e-4f);
    }
    StageTimings t = result.timings();
    assertEquals(0, t.decodeNanos());
    assertTrue(t.preprocessNanos() > 0 && t.inferenceNanos() > 0 && t.postprocessNanos() > 0, t.toString());
    // The inference thread runs the forward passes one after another, so they fit in the wall
    // time; pre- and post-processing run on the workers and may overlap them.
    assertTrue(t.totalNanos() >= t.inferenceNanos(), t.toString());
    assertEquals(Math.max(0, t.busyNanos() - t.totalNanos()), t.overlapNanos());
  }

  @Test
  void frameByFrameGivesWhatOneForwardPassGives() {
    List<Frame> batch = new ArrayList<>(otherFrames().subList(0, 5));
    batch.add(2, astronaut);
    try (Detector single = Detector.open(DetectorOptions.builder(CorpusFrames.frontModel(),
        BlazeFaceHead.create()).maxBatch(1).build())) {
      assertFalse(single.info().dynamicBatch());
      assertEquals(1, single.info().maxBatch());
      DetectionBatch one = single.detect(batch);
      DetectionBatch all = front.detect(batch);
      for (int i = 0; i < batch.size(); i++) {
        assertSameDetections(all.get(i), one.get(i), 1e-4f);
      }
    }
  }

  @Test
  void modelDeclaredAtBatchOneRunsFrameByFrame(@TempDir Path tmp) throws IOException {
    // The dynbatch model with its input rewritten to [1, 128, 128, 3]: a stand-in for a model
    // exported at batch 1 that this OpenCV can run (it cannot run the original files).
    Path fixed = tmp.resolve("front_batch1.onnx");
    Files.write(fixed, OnnxModelInfoTest.withFixedBatch(Files.readAllBytes(CorpusFrames.frontModel()), 1));
    List<Frame> batch = new ArrayList<>(otherFrames().subList(0, 3));
    batch.add(1, astronaut);
    try (Detector single = Detector.open(DetectorOptions.blazeFace(fixed))) {
      assertFalse(single.info().dynamicBatch());
      assertEquals(1, single.info().maxBatch());
      DetectionBatch one = single.detect(batch);
      DetectionBatch all = front.detect(batch);
      for (int i = 0; i < batch.size(); i++) {
        assertSameDetections(all.get(i), one.get(i), 1e-4f);
      }
    }
    // At batch 2 the rewritten model is refused by the declared shape, not by a crash.
    Path two = tmp.resolve("front_batch2.onnx");
    Files.write(two, OnnxModelInfoTest.withFixedBatch(Files.readAllBytes(CorpusFrames.frontModel()), 2));
    ModelMismatchException e = assertThrows(ModelMismatchException.class,
        () -> Detector.open(DetectorOptions.blazeFace(two)));
    assertTrue(e.getMessage().contains("is fixed at batch 2"), e.getMessage());
  }

  @Test
  void batchesLargerThanMaxBatchAreSplit() {
    try (Detector small = Detector.open(DetectorOptions.builder(CorpusFrames.frontModel(),
        BlazeFaceHead.create()).maxBatch(3).build())) {
      List<Frame> batch = new ArrayList<>(otherFrames().subList(0, 6));
      batch.add(4, astronaut);
      DetectionBatch result = small.detect(batch);
      assertEquals(7, result.size());
      assertSame(front.detect(astronaut).get(0), result.get(4).get(0), 1e-4f);
    }
  }

  @Test
  void rgbAndDirectFramesGiveTheSameFace() {
    byte[] bgr = astronaut.toByteArray();
    byte[] rgb = bgr.clone();
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 2] = bgr[i];
    }
    Frame rgbFrame = Frame.wrap(rgb, PixelFormat.RGB, 512, 512);
    ByteBuffer direct = ByteBuffer.allocateDirect(bgr.length + 100);
    direct.position(100);
    direct.put(bgr);
    Frame directFrame = Frame.wrap(direct, 100, 512 * 3, PixelFormat.BGR, 512, 512);
    Frame readOnly = Frame.wrap(ByteBuffer.wrap(bgr).asReadOnlyBuffer(), PixelFormat.BGR, 512, 512);

    Detection expected = front.detect(astronaut).get(0);
    DetectionBatch b = front.detect(List.of(rgbFrame, directFrame, readOnly));
    for (int i = 0; i < 3; i++) {
      assertEquals(1, b.get(i).size());
      assertSame(expected, b.get(i).get(0), 1e-6f);
    }
  }

  @ParameterizedTest
  @CsvSource({"640, 512, 64, 0", "512, 640, 0, 64", "600, 600, 44, 44"})
  void letterboxedFrameMapsBackToFramePixels(int w, int h, int dx, int dy) {
    // The portrait pasted at (dx, dy) in a w x h grey canvas: the model sees it smaller, padded
    // above and below (or left and right), and the box must come back shifted by (dx, dy).
    Frame canvas = solid(PixelFormat.BGR, w, h, 100);
    byte[] src = astronaut.array();
    for (int y = 0; y < 512; y++) {
      System.arraycopy(src, y * 512 * 3, canvas.array(), ((y + dy) * w + dx) * 3, 512 * 3);
    }
    List<Detection> faces = front.detect(canvas);

    assertEquals(1, faces.size(), () -> "faces: " + faces);
    Box expected = new Box(FRONT_REFERENCE.x1() + dx, FRONT_REFERENCE.y1() + dy,
        FRONT_REFERENCE.x2() + dx, FRONT_REFERENCE.y2() + dy);
    float iou = faces.get(0).box().iou(expected);
    assertTrue(iou >= 0.8f, "IoU " + iou + " of " + faces.get(0).box() + " vs " + expected);
  }

  @Test
  void detectorOpenedInsideAPointerScopeOutlivesIt() {
    Detector d;
    try (PointerScope scope = new PointerScope()) {
      d = Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
      d.detect(astronaut);
    }
    try (d) {
      assertSame(front.detect(astronaut).get(0), d.detect(astronaut).get(0), 1e-6f);
    }
  }

  @Test
  void backModelFindsTheFaceToo() {
    try (Detector back = Detector.open(DetectorOptions.blazeFace(CorpusFrames.backModel()))) {
      assertEquals(InputSpec.blazeFace(256), back.info().input());
      List<Detection> faces = back.detect(astronaut);
      assertEquals(1, faces.size(), () -> "faces: " + faces);
      assertEquals(BACK_REFERENCE_SCORE, faces.get(0).score(), 1e-3);
      float iou = faces.get(0).box().iou(BACK_REFERENCE);
      assertTrue(iou >= 0.8f, "IoU " + iou + " of " + faces.get(0).box() + " vs " + BACK_REFERENCE);
    }
  }

  /** Fifteen frames without the astronaut's face: sizes, formats and storage all differ. */
  static List<Frame> otherFrames() {
    Random rnd = new Random(42);
    List<Frame> f = new ArrayList<>();
    f.add(noise(rnd, PixelFormat.BGR, 1920, 1080));
    f.add(solid(PixelFormat.BGR, 640, 480, 128));
    f.add(solid(PixelFormat.BGR, 320, 240, 0));
    f.add(solid(PixelFormat.BGR, 128, 128, 255));
    f.add(gradient(800, 600));
    f.add(astronaut.crop(0, 256, 512, 256)); // the suit
    f.add(astronaut.crop(340, 0, 172, 512)); // the shuttle
    f.add(noise(rnd, PixelFormat.BGR, 100, 300));
    f.add(noise(rnd, PixelFormat.GRAY, 640, 360));
    f.add(checkerboard(256, 256, 16));
    f.add(astronaut.crop(0, 0, 140, 300)); // the flag
    f.add(noise(rnd, PixelFormat.BGR, 33, 17));
    f.add(noise(rnd, PixelFormat.RGB, 500, 500));
    Frame direct = Frame.allocateDirect(PixelFormat.BGR, 720, 1280);
    byte[] px = new byte[720 * 1280 * 3];
    rnd.nextBytes(px);
    direct.buffer().put(0, px);
    f.add(direct);
    f.add(solid(PixelFormat.GRAY, 1280, 720, 60));
    return f;
  }

  static Frame noise(Random rnd, PixelFormat format, int w, int h) {
    byte[] px = new byte[w * h * format.bytesPerPixel()];
    rnd.nextBytes(px);
    return Frame.wrap(px, format, w, h);
  }

  static Frame solid(PixelFormat format, int w, int h, int value) {
    byte[] px = new byte[w * h * format.bytesPerPixel()];
    Arrays.fill(px, (byte) value);
    return Frame.wrap(px, format, w, h);
  }

  static Frame gradient(int w, int h) {
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        px[i] = (byte) (x * 255 / w);
        px[i + 1] = (byte) (y * 255 / h);
        px[i + 2] = (byte) 90;
      }
    }
    return Frame.wrap(px, PixelFormat.BGR, w, h);
  }

  static Frame checkerboard(int w, int h, int cell) {
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        byte v = ((x / cell + y / cell) & 1) == 0 ? (byte) 0 : (byte) 255;
        Arrays.fill(px, (y * w + x) * 3, (y * w + x) * 3 + 3, v);
      }
    }
    return Frame.wrap(px, PixelFormat.BGR, w, h);
  }

  static void assertSameDetections(List<Detection> expected, List<Detection> actual, float scoreTolerance) {
    assertEquals(expected.size(), actual.size(), () -> expected + " vs " + actual);
    for (int i = 0; i < expected.size(); i++) {
      assertSame(expected.get(i), actual.get(i), scoreTolerance);
    }
  }

  /** Same class, score within {@code scoreTolerance}, box and keypoints within 0.05 px. */
  static void assertSame(Detection expected, Detection actual, float scoreTolerance) {
    assertEquals(expected.classId(), actual.classId());
    assertEquals(expected.score(), actual.score(), scoreTolerance, "score");
    Box e = expected.box();
    Box a = actual.box();
    float px = 0.05f;
    assertEquals(e.x1(), a.x1(), px, "x1");
    assertEquals(e.y1(), a.y1(), px, "y1");
    assertEquals(e.x2(), a.x2(), px, "x2");
    assertEquals(e.y2(), a.y2(), px, "y2");
    assertEquals(expected.keypoints().size(), actual.keypoints().size());
    for (int k = 0; k < expected.keypoints().size(); k++) {
      assertEquals(expected.keypoints().get(k).x(), actual.keypoints().get(k).x(), px, "keypoint x");
      assertEquals(expected.keypoints().get(k).y(), actual.keypoints().get(k).y(), px, "keypoint y");
    }
  }
}
