package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.framecodec.CorruptPayloadException;
import org.junit.jupiter.api.Test;

/**
 * The examples of the protocol's own documents, produced byte for byte and parsed back:
 * the binary tensor data extension's request (UINT32 [2, 2] and BOOL [3] as binary, output0
 * asked for as binary) and its response (FP32 [3, 2] as binary), the core protocol's JSON
 * response (FP32 [3, 2] as a JSON array), and a BYTES tensor of two elements laid out by the
 * extension's rule (a 4-byte little-endian length, then the bytes; the documents give the rule
 * but print no BYTES body).
 *
 * <p>"Byte for byte" means: our writer emits the JSON exactly as the document prints it with
 * the insignificant whitespace removed, followed by exactly the binary bytes the document's
 * sizes and the data's values give (written out here in hex, not computed by the code under
 * test), and {@code Inference-Header-Content-Length} is the JSON's length. The reader is fed the
 * document's text as printed, whitespace and all.
 */
class RestCodecGoldenTest {
  private final RestCodec codec = new RestCodec();

  /** Triton's extension_binary_data.md and KServe's binary_tensor_data_extension.md, first example. */
  private static final String SPEC_BINARY_REQUEST = """
      {
        "model_name" : "mymodel",
        "inputs" : [
          {
            "name" : "input0",
            "shape" : [ 2, 2 ],
            "datatype" : "UINT32",
            "parameters" : {
              "binary_data_size" : 16
            }
          },
          {
            "name" : "input1",
            "shape" : [ 3 ],
            "datatype" : "BOOL",
            "parameters" : {
              "binary_data_size" : 3
            }
          }
        ],
        "outputs" : [
          {
            "name" : "output0",
            "parameters" : {
              "binary_data" : true
            }
          }
        ]
      }
      """;
  /** input0 = [[1, 2], [3, 4]] as four little-endian uint32, input1 = [true, false, true]. */
  private static final String SPEC_BINARY_REQUEST_TAIL = "01000000" + "02000000" + "03000000" + "04000000" + "010001";

  /** The same documents' response: output0, FP32 [3, 2], 24 bytes of binary data. */
  private static final String SPEC_BINARY_RESPONSE = """
      {
        "outputs" : [
          {
            "name" : "output0",
            "shape" : [ 3, 2 ],
            "datatype"  : "FP32",
            "parameters" : {
              "binary_data_size" : 24
            }
          }
        ]
      }
      """;
  /** [1.0, 1.1, 2.0, 2.1, 3.0, 3.1] (the core protocol's example values) as little-endian IEEE 754 binary32. */
  private static final String FP32_TAIL = "0000803f" + "cdcc8c3f" + "00000040" + "66660640" + "00004040" + "66664640";

  /** KServe's required_api.md inference response example (with its missing comma after "42" put back). */
  private static final String SPEC_JSON_RESPONSE = """
      {
        "id" : "42",
        "outputs" : [
          {
            "name" : "output0",
            "shape" : [ 3, 2 ],
            "datatype"  : "FP32",
            "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]
          }
        ]
      }
      """;

  @Test
  void specBinaryRequestIsWrittenByteForByte() {
    InferRequest request = InferRequest.builder("mymodel")
        .input(InferTensor.uint32("input0", new long[] {2, 2}, 1, 2, 3, 4))
        .input(InferTensor.bool("input1", new long[] {3}, true, false, true))
        .output(RequestedOutput.binary("output0"))
        .build();
    RestBody body = codec.writeRequest(request, true);
    byte[] expectedJson = ascii(compact(SPEC_BINARY_REQUEST));
    assertArrayEquals(concat(expectedJson, hex(SPEC_BINARY_REQUEST_TAIL)), body.body());
    assertEquals(expectedJson.length, body.headerLength());
    assertEquals(expectedJson.length + 19, body.body().length, "the document's <xx+19>");
    assertEquals("application/octet-stream", body.contentType());
  }

  @Test
  void specBinaryRequestAsPrintedParsesBack() {
    byte[] json = ascii(SPEC_BINARY_REQUEST);
    InferRequest r = codec.readRequest(concat(json, hex(SPEC_BINARY_REQUEST_TAIL)), json.length);
    assertEquals("mymodel", r.modelName());
    assertEquals(2, r.inputs().size());
    InferTensor in0 = r.input("input0");
    assertEquals(Datatype.UINT32, in0.datatype());
    assertArrayEquals(new long[] {2, 2}, in0.shape());
    assertArrayEquals(new long[] {1, 2, 3, 4}, in0.asLongs());
    assertTrue(in0.parameters().isEmpty(), "binary_data_size is transport, not a tensor parameter");
    assertArrayEquals(new boolean[] {true, false, true}, r.input("input1").asBooleans());
    assertEquals(List.of(RequestedOutput.binary("output0")), r.outputs());
    assertTrue(r.wantsBinary("output0", false));
  }

  @Test
  void specBinaryResponseIsWrittenByteForByteAndParsedBack() {
    InferResponse response = InferResponse.builder("")
        .output(InferTensor.fp32("output0", new long[] {3, 2}, 1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f))
        .build();
    RestBody body = codec.writeResponse(response, name -> true);
    byte[] expectedJson = ascii(compact(SPEC_BINARY_RESPONSE));
    assertArrayEquals(concat(expectedJson, hex(FP32_TAIL)), body.body());
    assertEquals(expectedJson.length, body.headerLength());

    byte[] printed = ascii(SPEC_BINARY_RESPONSE);
    InferResponse back = codec.readResponse(concat(printed, hex(FP32_TAIL)), printed.length);
    assertArrayEquals(new float[] {1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f}, back.output("output0").asFloats());
    assertArrayEquals(new long[] {3, 2}, back.output("output0").shape());
  }

  @Test
  void specJsonResponseIsWrittenByteForByteAndParsedBack() {
    InferResponse response = InferResponse.builder("").id("42")
        .output(InferTensor.fp32("output0", new long[] {3, 2}, 1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f))
        .build();
    RestBody body = codec.writeResponse(response, name -> false);
    assertEquals(compact(SPEC_JSON_RESPONSE), new String(body.body(), StandardCharsets.US_ASCII));
    assertEquals(-1, body.headerLength(), "JSON only: no Inference-Header-Content-Length");
    assertEquals("application/json", body.contentType());

    InferResponse back = codec.readResponse(ascii(SPEC_JSON_RESPONSE), -1);
    assertEquals("42", back.id().orElseThrow());
    assertEquals(response.output("output0"), back.output("output0"));
  }

  @Test
  void bytesTensorOfTwoElementsIsLengthPrefixedLittleEndian() {
    InferRequest request = InferRequest.builder("")
        .input(InferTensor.bytes("input0", List.of(ascii("abc"), ascii("de"))))
        .build();
    RestBody body = codec.writeRequest(request, true);
    String json = "{\"inputs\":[{\"name\":\"input0\",\"shape\":[2],\"datatype\":\"BYTES\","
        + "\"parameters\":{\"binary_data_size\":13}}]}";
    String tail = "03000000" + "616263" + "02000000" + "6465";
    assertArrayEquals(concat(ascii(json), hex(tail)), body.body());
    assertEquals(json.length(), body.headerLength());

    InferRequest back = codec.readRequest(body.body(), body.headerLength());
    InferTensor t = back.input("input0");
    assertEquals(2, t.bytesElementCount());
    assertArrayEquals(ascii("abc"), t.bytesElementCopy(0));
    assertArrayEquals(ascii("de"), t.bytesElementCopy(1));
    assertEquals(request.input("input0"), t);
  }

  @Test
  void bytesTensorOfTwoElementsAsJsonStrings() {
    InferRequest request = InferRequest.builder("")
        .input(InferTensor.bytes("input0", List.of(ascii("abc"), ascii("de"))))
        .build();
    RestBody body = codec.writeRequest(request, false);
    assertEquals("{\"inputs\":[{\"name\":\"input0\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"abc\",\"de\"]}]}",
        new String(body.body(), StandardCharsets.US_ASCII));
    assertEquals(request.input("input0"), codec.readRequest(body.body(), -1).input("input0"));
  }

  @Test
  void specJsonRequestExampleIsRefusedForItsBoolShape() {
    // The core protocol's own request example gives BOOL shape [3] with one element; a server
    // that took it would have to invent two values.
    String spec = """
        {
          "id" : "42",
          "inputs" : [
            { "name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "data" : [ 1, 2, 3, 4 ] },
            { "name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "data" : [ true ] }
          ],
          "outputs" : [ { "name" : "output0" } ]
        }
        """;
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class, () -> codec.readRequest(ascii(spec), -1));
    assertEquals("input 'input1' shape holds 3 elements, its 'data' has 1", e.getMessage());
  }

  /** Removes JSON whitespace outside strings (the documents' strings hold none). */
  static String compact(String json) {
    StringBuilder b = new StringBuilder();
    boolean inString = false;
    for (char c : json.toCharArray()) {
      if (c == '"') {
        inString = !inString;
      }
      if (inString || !Character.isWhitespace(c)) {
        b.append(c);
      }
    }
    return b.toString();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
