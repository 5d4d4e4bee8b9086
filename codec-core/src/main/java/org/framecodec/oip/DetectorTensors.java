package org.framecodec.oip;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.transport.DetectionsJson;

/**
 * How FrameCodec's detector appears as a model of the Open Inference Protocol: the tensor names,
 * the metadata, and the conversions between detections and output tensors. The server uses it
 * to answer, the client to read the answer; other servers can implement the same contract.
 *
 * <table>
 *   <caption>the detector model (default name {@value #DEFAULT_MODEL_NAME})</caption>
 *   <tr><th>tensor</th><th>type</th><th>shape</th><th>content</th></tr>
 *   <tr><td>input {@value #INPUT}</td><td>BYTES</td><td>[-1]</td><td>one JPEG payload per frame,
 *       any mode; parameter {@value FrameTensors#JPEG_MODE} or {@value FrameTensors#JPEG_MODES}
 *       (default {@code ycbcr}, and gray when the JPEG has one component)</td></tr>
 *   <tr><td>output {@value #DETECTIONS}</td><td>BYTES</td><td>[-1]</td><td>per frame, a {@link
 *       DetectionsJson} document holding that one frame: {@code {"frames": [[{"box": ...}]]}}</td></tr>
 *   <tr><td>output {@value #BOXES}</td><td>FP32</td><td>[-1, K, 4]</td><td>x1, y1, x2, y2 in the
 *       frame's pixels, best first; rows past the frame's count are 0</td></tr>
 *   <tr><td>output {@value #SCORES}</td><td>FP32</td><td>[-1, K]</td><td>scores, 0 past the count</td></tr>
 *   <tr><td>output {@value #CLASSES}</td><td>INT32</td><td>[-1, K]</td><td>class ids, -1 past the count</td></tr>
 *   <tr><td>output {@value #COUNTS}</td><td>INT32</td><td>[-1]</td><td>detections per frame, at most K</td></tr>
 * </table>
 * K is the detector's most detections per frame. A request that names no outputs gets all five.
 * Stateless and thread-safe.
 */
public final class DetectorTensors {
  /** The model's name unless a server is told otherwise. */
  public static final String DEFAULT_MODEL_NAME = "detector";
  /** The input: BYTES [N], one JPEG payload per frame. */
  public static final String INPUT = "images";
  /** The output of one DetectionsJson document per frame: BYTES [N]. */
  public static final String DETECTIONS = "detections";
  /** The output of boxes: FP32 [N, K, 4]. */
  public static final String BOXES = "boxes";
  /** The output of scores: FP32 [N, K]. */
  public static final String SCORES = "scores";
  /** The output of class ids: INT32 [N, K], -1 past a frame's count. */
  public static final String CLASSES = "classes";
  /** The output of detections per frame: INT32 [N]. */
  public static final String COUNTS = "counts";
  /** The outputs, in the order a response lists them. */
  public static final List<String> OUTPUTS = List.of(DETECTIONS, BOXES, SCORES, CLASSES, COUNTS);

  private static final DetectionsJson JSON = new DetectionsJson();

  private DetectorTensors() {}

  /**
   * The metadata of the detector model named {@code name}, with K = {@code maxDetections}.
   *
   * @param name the model name
   * @param maxDetections K, the most detections per frame
   * @param platform the platform the metadata reports
   * @return the metadata
   */
  public static ModelMetadata metadata(String name, int maxDetections, String platform) {
    return new ModelMetadata(name, List.of(), platform,
        List.of(new TensorMetadata(INPUT, Datatype.BYTES, -1)),
        List.of(new TensorMetadata(DETECTIONS, Datatype.BYTES, -1),
            new TensorMetadata(BOXES, Datatype.FP32, -1, maxDetections, 4),
            new TensorMetadata(SCORES, Datatype.FP32, -1, maxDetections),
            new TensorMetadata(CLASSES, Datatype.INT32, -1, maxDetections),
            new TensorMetadata(COUNTS, Datatype.INT32, -1)));
  }

  /**
   * The {@value #DETECTIONS} output: one DetectionsJson document per frame.
   *
   * @param perFrame per frame, its detections
   * @return the tensor
   */
  public static InferTensor detectionsJson(List<List<Detection>> perFrame) {
    List<byte[]> docs = new ArrayList<>(perFrame.size());
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    for (List<Detection> frame : perFrame) {
      out.reset();
      JSON.write(List.of(frame), out);
      docs.add(out.toByteArray());
    }
    return InferTensor.bytes(DETECTIONS, docs);
  }

  /**
   * Reads the {@value #DETECTIONS} output of a response to {@code frames} frames.
   *
   * @param t the output tensor
   * @param frames how many frames the request had
   * @param maxDetectionsPerFrame the most detections one frame may have
   * @return per frame, its detections
   * @throws CorruptPayloadException when the tensor is not BYTES [frames] of valid documents of
   *     one frame each, or holds more than {@code maxDetectionsPerFrame} in a frame
   */
  public static List<List<Detection>> readDetectionsJson(InferTensor t, int frames, int maxDetectionsPerFrame) {
    Objects.requireNonNull(t, "tensor");
    if (t.datatype() != Datatype.BYTES || t.rank() != 1 || t.dim(0) != frames) {
      throw new CorruptPayloadException("output '" + Strings.excerpt(t.name()) + "' must be BYTES [" + frames
          + "], got " + t.datatype() + " " + java.util.Arrays.toString(t.shape()));
    }
    DetectionsJson reader = maxDetectionsPerFrame == JSON.maxDetectionsPerFrame() ? JSON
        : new DetectionsJson(maxDetectionsPerFrame);
    List<List<Detection>> out = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      try {
        out.add(reader.read(t.dataArray(), t.bytesElementOffset(i), t.bytesElementLength(i), 1).get(0));
      } catch (CorruptPayloadException e) {
        throw new CorruptPayloadException("output '" + t.name() + "' element " + i + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The fixed-size outputs {@value #BOXES}, {@value #SCORES}, {@value #CLASSES}, {@value #COUNTS}, K = {@code maxDetections}.
   *
   * @param perFrame per frame, its detections
   * @param maxDetections K, the most detections per frame
   * @return the four tensors
   */
  public static List<InferTensor> fixed(List<List<Detection>> perFrame, int maxDetections) {
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
    }
    int n = perFrame.size();
    int k = maxDetections;
    float[] boxes = new float[n * k * 4];
    float[] scores = new float[n * k];
    int[] classes = new int[n * k];
    int[] counts = new int[n];
    java.util.Arrays.fill(classes, -1);
    for (int i = 0; i < n; i++) {
      List<Detection> dets = perFrame.get(i);
      counts[i] = Math.min(dets.size(), k);
      for (int j = 0; j < counts[i]; j++) {
        Detection d = dets.get(j);
        int at = (i * k + j) * 4;
        boxes[at] = d.box().x1();
        boxes[at + 1] = d.box().y1();
        boxes[at + 2] = d.box().x2();
        boxes[at + 3] = d.box().y2();
        scores[i * k + j] = d.score();
        classes[i * k + j] = d.classId();
      }
    }
    return List.of(InferTensor.fp32(BOXES, new long[] {n, k, 4}, boxes),
        InferTensor.fp32(SCORES, new long[] {n, k}, scores),
        InferTensor.int32(CLASSES, new long[] {n, k}, classes),
        InferTensor.int32(COUNTS, new long[] {n}, counts));
  }

  /**
   * Reads the fixed-size outputs of a response to {@code frames} frames into detections (without
   * keypoints, which only the JSON output carries).
   *
   * @param r the response
   * @param frames how many frames the request had
   * @return per frame, its detections
   * @throws CorruptPayloadException when an output is missing, has the wrong type or shape, or a
   *     count, box or score is out of range
   */
  public static List<List<Detection>> readFixed(InferResponse r, int frames) {
    InferTensor boxes = r.output(BOXES);
    InferTensor scores = r.output(SCORES);
    InferTensor classes = r.output(CLASSES);
    InferTensor counts = r.output(COUNTS);
    check(counts, Datatype.INT32, frames);
    if (boxes.rank() != 3 || boxes.dim(0) != frames || boxes.dim(2) != 4) {
      throw new CorruptPayloadException("output 'boxes' must be [" + frames + ", K, 4], got "
          + java.util.Arrays.toString(boxes.shape()));
    }
    long k = boxes.dim(1);
    check(boxes, Datatype.FP32, frames, k, 4);
    check(scores, Datatype.FP32, frames, k);
    check(classes, Datatype.INT32, frames, k);
    float[] b = boxes.asFloats();
    float[] s = scores.asFloats();
    int[] c = classes.asInts();
    int[] n = counts.asInts();
    List<List<Detection>> out = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      if (n[i] < 0 || n[i] > k) {
        throw new CorruptPayloadException("output 'counts' element " + i + " is " + n[i] + ", outside 0.." + k);
      }
      List<Detection> dets = new ArrayList<>(n[i]);
      for (int j = 0; j < n[i]; j++) {
        int at = (int) (i * k + j);
        try {
          dets.add(new Detection(new Box(b[4 * at], b[4 * at + 1], b[4 * at + 2], b[4 * at + 3]), s[at], c[at]));
        } catch (IllegalArgumentException e) {
          throw new CorruptPayloadException("detection " + j + " of frame " + i + ": " + e.getMessage());
        }
      }
      out.add(List.copyOf(dets));
    }
    return List.copyOf(out);
  }

  private static void check(InferTensor t, Datatype type, long... shape) {
    if (t.datatype() != type || !java.util.Arrays.equals(t.shape(), shape)) {
      throw new CorruptPayloadException("output '" + t.name() + "' must be " + type + " "
          + java.util.Arrays.toString(shape) + ", got " + t.datatype() + " " + java.util.Arrays.toString(t.shape()));
    }
  }
}
