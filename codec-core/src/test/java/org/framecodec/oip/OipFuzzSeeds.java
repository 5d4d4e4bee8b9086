package org.framecodec.oip;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds of {@link RestRequestFuzzTest}, written by {@link org.framecodec.FuzzSeeds}: REST request
 * bodies of every shape the parser meets (binary BYTES of JPEGs, JSON base64 BYTES, UINT8 pixels,
 * FP32 and mixed JSON + binary), each behind the two-byte header-length offset 0.
 */
public final class OipFuzzSeeds {
  private OipFuzzSeeds() {}

  public static Map<String, byte[]> restRequests(byte[] jpeg, byte[] grayJpeg) {
    RestCodec codec = new RestCodec();
    Map<String, byte[]> out = new LinkedHashMap<>();
    InferTensor jpegs = InferTensor.bytes("images", List.of(jpeg, grayJpeg)).withParameter("jpeg_mode", "cv2-yuv");
    InferRequest binary = InferRequest.builder("detector").id("7").input(jpegs)
        .output(RequestedOutput.binary("detections")).build();
    out.put("bytes-binary.bin", seed(codec.writeRequest(binary, true)));
    InferRequest base64 = InferRequest.builder("").input(jpegs.withParameter("content_type", "base64"))
        .output(RequestedOutput.named("detections")).build();
    out.put("bytes-base64-json.bin", seed(codec.writeRequest(base64, false)));
    byte[] px = new byte[2 * 3 * 4 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7);
    }
    InferRequest pixels = InferRequest.builder("").parameters(Map.of("binary_data_output", true))
        .input(InferTensor.of("pixels", Datatype.UINT8, new long[] {2, 3, 4, 3}, px)).build();
    out.put("uint8-binary.bin", seed(codec.writeRequest(pixels, true)));
    InferRequest mixed = InferRequest.builder("m").version("2")
        .input(InferTensor.fp32("a", new long[] {2, 2}, 1f, -2.5f, 3e-3f, 4f))
        .input(InferTensor.int64("b", new long[] {2}, Long.MIN_VALUE, 9))
        .input(InferTensor.bool("c", new long[] {3}, true, false, true)).build();
    out.put("numbers-json.bin", seed(codec.writeRequest(mixed, false)));
    out.put("numbers-binary.bin", seed(codec.writeRequest(mixed, true)));
    out.put("nested-json.bin", seed(new RestBody(("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],"
        + "\"datatype\":\"UINT16\",\"data\":[[1,2],[3,65535]]},{\"name\":\"s\",\"shape\":[1],\"datatype\":\"BYTES\","
        + "\"data\":[\"caf\\u00e9\"]}],\"parameters\":{\"p\":1.5,\"q\":\"x\"}}").getBytes(StandardCharsets.UTF_8), -1)));
    return out;
  }

  private static byte[] seed(RestBody body) {
    byte[] out = new byte[body.body().length + 2];
    System.arraycopy(body.body(), 0, out, 2, body.body().length);
    if (!body.hasBinary()) {
      out[0] = (byte) 0x80; // -32768: no header
    }
    return out;
  }
}
