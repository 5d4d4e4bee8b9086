package org.framecodec.oip;

import static org.framecodec.oip.RestCodecGoldenTest.ascii;
import static org.framecodec.oip.RestCodecGoldenTest.concat;
import static org.framecodec.oip.RestCodecGoldenTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.framecodec.CorpusFrames;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.Subsampling;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's REST side as the pure function {@link OipService#handleRest}, with the real
 * BlazeFace detector behind it: every route, every output form, JPEGs of every mode, and each
 * bad input of the issue answered with the protocol's error (status and {@code {"error"}}).
 */
class OipServiceRestTest {
  private static Detector detector;
  private static OipService service;
  private static List<EncodedFrame> frames;
  private static List<List<Detection>> expected;
  private final RestCodec codec = new RestCodec();

  @BeforeAll
  static void start() {
    detector = Detector.open(DetectorOptions.blazeFace(OipTestData.frontModel()));
    frames = OipTestData.frames();
    expected = detector.detectEncoded(frames).all();
    assertEquals(1, expected.get(0).size());
    service = OipService.builder("detector", DetectionBackend.serialised(detector),
        detector.info().nms().maxDetections()).limits(Limits.builder().maxPayloadBytes(4 << 20).build()).build();
  }

  @AfterAll
  static void stop() {
    detector.close();
  }

  private RestReply post(String path, RestBody body) {
    return service.handleRest("POST", path, body.hasBinary() ? Integer.toString(body.headerLength()) : null,
        body.body(), 0, body.body().length);
  }

  private RestReply infer(InferRequest r, boolean binary) {
    return post("/v2/models/detector/infer", codec.writeRequest(r, binary));
  }

  private InferResponse ok(RestReply reply) {
    assertEquals(200, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
    String h = reply.headers().get(RestBody.HEADER_LENGTH);
    return codec.readResponse(reply.body(), h == null ? -1 : Long.parseLong(h));
  }

  private void assertError(int status, String message, RestReply reply) {
    assertEquals("application/json", reply.contentType());
    assertEquals(message, codec.readError(reply.body(), 0, reply.body().length), "error body");
    assertEquals(status, reply.status(), message);
  }

  private static InferRequest.Builder jpegRequest(List<EncodedFrame> fs) {
    return InferRequest.builder("").input(FrameTensors.jpegs(DetectorTensors.INPUT, fs, false));
  }

  // ---------------------------------------------------------------- routes

  @Test
  void healthMetadataAndReadiness() {
    RestReply live = service.handleRest("GET", "/v2/health/live", null, new byte[0], 0, 0);
    assertEquals(200, live.status());
    assertEquals(0, live.body().length);
    assertEquals(200, service.handleRest("GET", "/v2/health/ready", null, new byte[0], 0, 0).status());
    assertEquals(200, service.handleRest("GET", "/v2/models/detector/ready", null, new byte[0], 0, 0).status());
    assertEquals(200, service.handleRest("GET", "/v2/models/detector/versions/1/ready", null, new byte[0], 0, 0).status());
    RestReply meta = service.handleRest("GET", "/v2/models/detector", null, new byte[0], 0, 0);
    assertEquals(200, meta.status());
    assertEquals(DetectorTensors.metadata("detector", 100, "onnx_onnxv1"),
        codec.readModelMetadata(meta.body(), 0, meta.body().length));
    RestReply server = service.handleRest("GET", "/v2", null, new byte[0], 0, 0);
    assertEquals("{\"name\":\"framecodec\",\"version\":\"1\",\"extensions\":[\"binary_tensor_data\"]}",
        new String(server.body(), StandardCharsets.UTF_8));
  }

  @Test
  void unknownModelsPathsAndMethodsGetTheProtocolsError() {
    assertError(404, "unknown model 'face'; this server has 'detector'",
        service.handleRest("GET", "/v2/models/face", null, new byte[0], 0, 0));
    assertError(404, "unknown model 'face'; this server has 'detector'",
        service.handleRest("GET", "/v2/models/face/ready", null, new byte[0], 0, 0));
    assertError(404, "model 'detector' has no version '7'; it has '1'",
        service.handleRest("GET", "/v2/models/detector/versions/7", null, new byte[0], 0, 0));
    assertError(404, "unknown model 'face'; this server has 'detector'",
        post("/v2/models/face/infer", codec.writeRequest(jpegRequest(frames.subList(0, 1)).build(), true)));
    assertError(404, "no such endpoint: /v2/models/detector/train (the protocol's endpoints are under /v2)",
        service.handleRest("POST", "/v2/models/detector/train", null, new byte[0], 0, 0));
    RestReply wrong = service.handleRest("GET", "/v2/models/detector/infer", null, new byte[0], 0, 0);
    assertError(405, "method GET is not allowed here; use POST", wrong);
    assertEquals("POST", wrong.headers().get("Allow"));
  }

  // ---------------------------------------------------------------- inference

  @Test
  void binaryRequestGetsBinaryDetectionsThatMatchTheDetector() {
    InferRequest r = jpegRequest(frames).id("batch-1").output(RequestedOutput.binary(DetectorTensors.DETECTIONS)).build();
    RestReply reply = infer(r, true);
    assertEquals("application/octet-stream", reply.contentType());
    InferResponse resp = ok(reply);
    assertEquals("detector", resp.modelName());
    assertEquals("batch-1", resp.id().orElseThrow());
    assertEquals(List.of(DetectorTensors.DETECTIONS), resp.outputs().stream().map(InferTensor::name).toList());
    // Same process, same detector, same payloads: identical, keypoints and all.
    assertEquals(expected, DetectorTensors.readDetectionsJson(resp.output(DetectorTensors.DETECTIONS), frames.size(), 1000));
  }

  @Test
  void jsonRequestWithBase64GetsJsonOutputsOfEveryForm() {
    InferRequest r = InferRequest.builder("").input(FrameTensors.jpegs(DetectorTensors.INPUT, frames, true)).build();
    RestReply reply = infer(r, false);
    assertEquals("application/json", reply.contentType(), "no binary output was asked for");
    assertTrue(reply.headers().isEmpty());
    InferResponse resp = ok(reply);
    assertEquals(DetectorTensors.OUTPUTS, resp.outputs().stream().map(InferTensor::name).toList(), "all, in order");
    assertEquals(expected, DetectorTensors.readDetectionsJson(resp.output(DetectorTensors.DETECTIONS), frames.size(), 1000));
    List<List<Detection>> fixed = DetectorTensors.readFixed(resp, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertEquals(expected.get(i).size(), fixed.get(i).size());
      for (int j = 0; j < fixed.get(i).size(); j++) {
        assertEquals(expected.get(i).get(j).box(), fixed.get(i).get(j).box());
        assertEquals(expected.get(i).get(j).score(), fixed.get(i).get(j).score());
      }
    }
    assertArrayEquals(new long[] {frames.size(), 100, 4}, resp.output(DetectorTensors.BOXES).shape());
  }

  @Test
  void binaryDataOutputParameterAndPerOutputOverride() {
    InferRequest r = jpegRequest(frames.subList(0, 1)).parameters(Map.of("binary_data_output", true))
        .output(RequestedOutput.binary(DetectorTensors.COUNTS))
        .output(new RequestedOutput(DetectorTensors.SCORES, Map.of("binary_data", false))).build();
    RestReply reply = infer(r, true);
    String json = new String(reply.body(), 0, Integer.parseInt(reply.headers().get(RestBody.HEADER_LENGTH)),
        StandardCharsets.UTF_8);
    assertTrue(json.contains("{\"name\":\"counts\",\"shape\":[1],\"datatype\":\"INT32\",\"parameters\":{\"binary_data_size\":4}}"), json);
    assertTrue(json.contains("{\"name\":\"scores\",\"shape\":[1,100],\"datatype\":\"FP32\",\"data\":[0.9"), json);
    assertArrayEquals(new int[] {1}, ok(reply).output(DetectorTensors.COUNTS).asInts());
  }

  @Test
  void jpegsOfEveryModeAreDetected() throws Exception {
    List<EncodedFrame> mixed = new ArrayList<>();
    try (JpegCodec c = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      var face = OipTestData.astronaut();
      mixed.add(c.encodeFrame(face, EncodeOptions.cv2Yuv(85)));
      mixed.add(c.encodeFrame(face, EncodeOptions.ycbcr(85, Subsampling.S444)));
      mixed.add(c.encodeFrame(face, EncodeOptions.gray(85)));
      mixed.add(c.encodeFrame(CorpusFrames.photo(CorpusFrames.PHOTOS.get(0)), EncodeOptions.ycbcr(70, Subsampling.S420)));
    }
    List<List<Detection>> local = detector.detectEncoded(mixed).all();
    // jpeg_modes names each element's mode.
    InferRequest r = jpegRequest(mixed).output(RequestedOutput.binary(DetectorTensors.DETECTIONS)).build();
    assertTrue(r.input(DetectorTensors.INPUT).parameters().containsKey(FrameTensors.JPEG_MODES));
    assertEquals(local, DetectorTensors.readDetectionsJson(ok(infer(r, true)).output(DetectorTensors.DETECTIONS), 4, 1000));
    // Without a mode parameter: ycbcr, and gray from the one-component header.
    List<EncodedFrame> plain = mixed.subList(1, 4);
    InferRequest bare = InferRequest.builder("").input(InferTensor.bytes(DetectorTensors.INPUT,
        plain.stream().map(EncodedFrame::payloadCopy).toList())).build();
    assertEquals(local.subList(1, 4), DetectorTensors.readDetectionsJson(ok(infer(bare, true)).output(DetectorTensors.DETECTIONS), 3, 1000));
  }

  // ---------------------------------------------------------------- bad input

  private static final String IMAGES_JSON = "{\"inputs\":[{\"name\":\"images\",\"shape\":[1],\"datatype\":\"BYTES\","
      + "\"parameters\":{\"binary_data_size\":%d}}]}";

  private RestReply raw(String json, byte[] tail, String headerLength) {
    byte[] body = concat(ascii(json), tail);
    return service.handleRest("POST", "/v2/models/detector/infer", headerLength, body, 0, body.length);
  }

  @Test
  void aHeaderLengthLargerThanTheBody() {
    String json = String.format(IMAGES_JSON, 7);
    int total = json.length() + 7;
    assertError(400, "Inference-Header-Content-Length 99999 is larger than the body of " + total + " bytes",
        raw(json, hex("03000000616263"), "99999"));
    assertError(400, "Inference-Header-Content-Length 'x1' is not a non-negative integer",
        raw(json, hex("03000000616263"), "x1"));
  }

  @Test
  void binaryDataSizesThatDoNotAddUp() {
    String json = String.format(IMAGES_JSON, 7);
    assertError(400, "the binary_data_size values add up to 7 bytes, but 12 bytes follow the JSON header"
        + " (Inference-Header-Content-Length " + json.length() + ", body " + (json.length() + 12) + ")",
        raw(json, hex("03000000616263" + "0000000000"), Integer.toString(json.length())));
  }

  @Test
  void bytesElementLengthsThatRunPastTheTensor() {
    String json = String.format(IMAGES_JSON, 7);
    assertError(400, "tensor 'images': BYTES element 0 declares 1000 bytes, only 3 are left in the tensor data",
        raw(json, hex("e8030000616263"), Integer.toString(json.length())));
  }

  @Test
  void aShapeThatDisagreesWithTheData() {
    String json = "{\"inputs\":[{\"name\":\"images\",\"shape\":[3],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":7}}]}";
    assertError(400, "tensor 'images' declares 3 BYTES elements, but 7 bytes of data hold at most 1",
        raw(json, hex("03000000616263"), Integer.toString(json.length())));
    InferRequest pixels = InferRequest.builder("").input(InferTensor.fp32("images", new long[] {2, 2}, 1, 2, 3, 4)).build();
    assertError(400, "input 'images' must be BYTES [N] (one JPEG per element), got FP32 [2, 2]", infer(pixels, true));
  }

  @Test
  void anUnknownDatatype() {
    String json = "{\"inputs\":[{\"name\":\"images\",\"shape\":[1],\"datatype\":\"JPEG\",\"parameters\":{\"binary_data_size\":7}}]}";
    assertError(400, "input 'images': unknown tensor datatype 'JPEG'; expected one of BOOL, UINT8, UINT16, UINT32,"
        + " UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES",
        raw(json, hex("03000000616263"), Integer.toString(json.length())));
  }

  @Test
  void aMissingOrUnknownInputOrOutput() {
    InferRequest other = InferRequest.builder("").input(InferTensor.bytes("image", List.of(frames.get(0).payloadCopy()))).build();
    assertError(400, "missing input 'images': the model 'detector' takes one input, 'images', BYTES [N] of JPEG"
        + " payloads; the request has ['image']", infer(other, true));
    InferRequest extra = jpegRequest(frames.subList(0, 1)).input(InferTensor.int32("k", new long[] {1}, 5)).build();
    assertError(400, "unknown input 'k': the model 'detector' takes only 'images'", infer(extra, true));
    InferRequest out = jpegRequest(frames.subList(0, 1)).output(RequestedOutput.named("masks")).build();
    assertError(400, "unknown output 'masks'; the model 'detector' has [detections, boxes, scores, classes, counts]",
        infer(out, true));
  }

  @Test
  void payloadsThatAreNotJpegs() {
    InferRequest r = InferRequest.builder("").input(InferTensor.bytes("images",
        List.of(frames.get(0).payloadCopy(), ascii("hello")))).build();
    RestReply reply = infer(r, true);
    assertEquals(400, reply.status());
    String error = codec.readError(reply.body(), 0, reply.body().length);
    assertTrue(error.startsWith("input 'images' element 1: "), error);
    // JPEGs in JSON as plain strings: the hint says what is missing.
    String b64 = java.util.Base64.getEncoder().encodeToString(frames.get(0).payloadCopy());
    byte[] json = ascii("{\"inputs\":[{\"name\":\"images\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"" + b64 + "\"]}]}");
    RestReply text = service.handleRest("POST", "/v2/models/detector/infer", null, json, 0, json.length);
    assertEquals(400, text.status());
    assertTrue(codec.readError(text.body(), 0, text.body().length).endsWith(
        "(it looks like base64 text: in JSON, give the input \"parameters\": {\"content_type\": \"base64\"})"),
        () -> codec.readError(text.body(), 0, text.body().length));
    InferRequest badMode = InferRequest.builder("").input(FrameTensors.jpegs("images", frames.subList(0, 1), false)
        .withParameter(FrameTensors.JPEG_MODE, "rgb")).build();
    assertError(400, "jpeg_mode: unknown JPEG mode 'rgb'; expected cv2-yuv, ycbcr or gray", infer(badMode, true));
  }

  @Test
  void overTheLimitsIs413() {
    OipService small = OipService.builder("detector", DetectionBackend.serialised(detector), 100)
        .limits(Limits.builder().maxPayloadBytes(1000).maxPixels(512 * 512).build()).build();
    RestBody big = codec.writeRequest(jpegRequest(frames.subList(0, 1)).build(), true);
    RestReply r = small.handleRest("POST", "/v2/models/detector/infer", Integer.toString(big.headerLength()), big.body(), 0, big.body().length);
    assertEquals(413, r.status());
    assertTrue(codec.readError(r.body(), 0, r.body().length).matches(
        "tensor 'images': BYTES element 0 of \\d+ bytes exceeds the limit of 1000"), new String(r.body(), StandardCharsets.UTF_8));
    OipService pixels = OipService.builder("detector", DetectionBackend.serialised(detector), 100)
        .limits(Limits.builder().maxPixels(512 * 512).build()).build();
    RestBody photo = codec.writeRequest(jpegRequest(frames.subList(1, 2)).build(), true);
    RestReply p = pixels.handleRest("POST", "/v2/models/detector/infer", Integer.toString(photo.headerLength()), photo.body(), 0, photo.body().length);
    assertError(413, "input 'images' element 0: frame of 1920x1080 = 2073600 pixels exceeds the limit of 262144", p);
  }

  @Test
  void aBackendThatCannotTakeTheRequestIs503AndOneThatFailsIs500() {
    OipService busy = OipService.builder("detector", fs -> {
      throw new org.framecodec.transport.TransportException("queue full");
    }, 100).build();
    RestBody body = codec.writeRequest(jpegRequest(frames.subList(0, 1)).build(), true);
    RestReply r = busy.handleRest("POST", "/v2/models/detector/infer", Integer.toString(body.headerLength()), body.body(), 0, body.body().length);
    assertError(503, "queue full", r);
    assertEquals("1", r.headers().get("Retry-After"));
    OipService broken = OipService.builder("detector", fs -> {
      throw new IllegalStateException("network failed");
    }, 100).build();
    assertError(500, "network failed", broken.handleRest("POST", "/v2/models/detector/infer",
        Integer.toString(body.headerLength()), body.body(), 0, body.body().length));
  }
}
