package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way to misuse the detector fails at once with a message naming the cause. */
class DetectorErrorsTest {
  static Detector detector;

  @TempDir
  Path tmp;

  @BeforeAll
  static void open() {
    detector = Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  @Test
  void missingModelFile() {
    Path missing = Path.of("no", "such", "model.onnx");
    DetectorException e = assertThrows(DetectorException.class,
        () -> Detector.open(DetectorOptions.blazeFace(missing)));
    assertEquals("model file " + missing + " does not exist", e.getMessage());
  }

  @Test
  void modelPathIsADirectory() {
    DetectorException e = assertThrows(DetectorException.class,
        () -> Detector.open(DetectorOptions.blazeFace(tmp)));
    assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
  }

  @Test
  void fileThatIsNotOnnx() throws IOException {
    Path png = tmp.resolve("astronaut.onnx");
    Files.copy(CorpusFrames.astronautPng(), png);
    DetectorException e = assertThrows(DetectorException.class,
        () -> Detector.open(DetectorOptions.blazeFace(png)));
    assertTrue(e.getMessage().startsWith(png + " is not an ONNX model"), e.getMessage());
  }

  @Test
  void truncatedModel() throws IOException {
    byte[] model = Files.readAllBytes(CorpusFrames.frontModel());
    Path cut = tmp.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(model, model.length / 2));
    DetectorException e = assertThrows(DetectorException.class,
        () -> Detector.open(DetectorOptions.blazeFace(cut)));
    assertTrue(e.getMessage().contains("is not an ONNX model") && e.getMessage().contains("runs past"),
        e.getMessage());
  }

  @Test
  void modelWhoseOutputsDoNotMatchTheHead() {
    DetectorOptions yolo = DetectorOptions.builder(CorpusFrames.frontModel(), YoloV5Head.create()).build();
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> Detector.open(yolo));
    assertTrue(e.getMessage().contains("the yolov5 head expects exactly one output")
        && e.getMessage().contains("[1, 512, 1], [1, 384, 1], [1, 512, 16], [1, 384, 16]"), e.getMessage());
  }

  @Test
  void inputSpecThatDoesNotMatchTheModel() {
    DetectorOptions wrongSize = DetectorOptions.builder(CorpusFrames.frontModel(), BlazeFaceHead.create())
        .input(InputSpec.blazeFace(256)).build();
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> Detector.open(wrongSize));
    assertTrue(e.getMessage().contains("NHWC 128x128") && e.getMessage().contains("NHWC 256x256"), e.getMessage());

    DetectorOptions wrongLayout = DetectorOptions.builder(CorpusFrames.frontModel(), BlazeFaceHead.create())
        .input(InputSpec.blazeFace(128).toBuilder().layout(TensorLayout.NCHW).build()).build();
    e = assertThrows(ModelMismatchException.class, () -> Detector.open(wrongLayout));
    assertTrue(e.getMessage().contains("NCHW 128x128"), e.getMessage());
  }

  @Test
  void emptyBatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> detector.detect(List.of()));
    assertEquals("the batch of frames is empty; pass at least one", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> detector.detectEncoded(List.of()));
    assertEquals("the batch of payloads is empty; pass at least one", e.getMessage());
  }

  @Test
  void planarFrame() {
    Frame i420 = Frame.allocate(PixelFormat.I420, 64, 64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> detector.detect(List.of(Frame.allocate(PixelFormat.BGR, 8, 8), i420)));
    assertEquals("frame 1 is planar I420; the detector takes BGR, RGB or GRAY frames", e.getMessage());
  }

  @Test
  void corruptPayload() {
    byte[] notJpeg = {1, 2, 3, 4, 5};
    assertThrows(CorruptPayloadException.class,
        () -> detector.detectEncoded(List.of(EncodedFrame.of(notJpeg, 8, 8, 3, JpegMode.CV2_YUV, 80))));
  }

  @Test
  void closedDetector() {
    Detector d = Detector.open(DetectorOptions.blazeFace(CorpusFrames.frontModel()));
    d.close();
    d.close(); // idempotent
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> d.detect(Frame.allocate(PixelFormat.BGR, 8, 8)));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }

  @Test
  void requiredGpuThatIsNotThere() {
    String why = DnnSession.cudaUnavailableReason();
    assumeTrue(why != null, "a usable CUDA device is present");
    for (DnnDevice device : new DnnDevice[] {DnnDevice.AUTO, DnnDevice.CUDA, DnnDevice.CUDA_FP16}) {
      DetectorOptions o = DetectorOptions.builder(CorpusFrames.frontModel(), BlazeFaceHead.create())
          .device(device).requireGpu(true).build();
      GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> Detector.open(o));
      assertEquals("a GPU is required but " + why, e.getMessage());
    }
  }

  @Test
  void gpuRequestedButAbsentFallsBackToTheCpuAndSaysWhy() {
    String why = DnnSession.cudaUnavailableReason();
    assumeTrue(why != null, "a usable CUDA device is present");
    try (Detector d = Detector.open(DetectorOptions.builder(CorpusFrames.frontModel(), BlazeFaceHead.create())
        .device(DnnDevice.CUDA).build())) {
      assertEquals(DnnTarget.CPU, d.info().target());
      assertEquals(DnnDevice.CUDA, d.info().requested());
      assertEquals(why, d.info().fallbackReason().orElseThrow());
    }
    try (Detector d = Detector.open(DetectorOptions.builder(CorpusFrames.frontModel(), BlazeFaceHead.create())
        .device(DnnDevice.CPU).build())) {
      assertEquals(DnnTarget.CPU, d.info().target());
      assertFalse(d.info().fallbackReason().isPresent());
    }
  }

  @Test
  void optionsRejectBadValues() {
    DetectorOptions.Builder b = DetectorOptions.builder(CorpusFrames.frontModel(), BlazeFaceHead.create());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.maxBatch(0).build());
    assertEquals("max batch must be 1..4096, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> b.maxBatch(8).device(DnnDevice.CPU).requireGpu(true).build());
    assertTrue(e.getMessage().contains("requireGpu contradicts device cpu"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DnnDevice.parse("tpu"));
    assertEquals("unknown device 'tpu'; expected auto, cpu, cuda or cuda_fp16", e.getMessage());
    assertEquals(DnnDevice.CUDA_FP16, DnnDevice.parse("cuda-fp16"));
  }
}
