package org.framecodec.oip;

import static org.framecodec.oip.RestCodecGoldenTest.ascii;
import static org.framecodec.oip.RestCodecGoldenTest.concat;
import static org.framecodec.oip.RestCodecGoldenTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every way a REST body can lie about itself is refused with the {@link FrameFormatException}
 * family and a message naming the tensor and the numbers, before anything of a declared size is
 * allocated.
 */
class RestCodecBadInputTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final RestCodec codec = new RestCodec();

  private static String bytesInput(String shape, long binarySize) {
    return "{\"inputs\":[{\"name\":\"images\",\"shape\":" + shape + ",\"datatype\":\"BYTES\","
        + "\"parameters\":{\"binary_data_size\":" + binarySize + "}}]}";
  }

  private <T extends Throwable> T refused(Class<T> type, String expected, Executable call) {
    T e = assertThrows(type, call);
    assertEquals(expected, e.getMessage());
    return e;
  }

  private void request(byte[] json, byte[] tail) {
    codec.readRequest(concat(json, tail), json.length);
  }

  @Test
  void headerLengthLargerThanTheBodyIsRefused() {
    byte[] json = ascii(bytesInput("[1]", 7));
    byte[] body = concat(json, hex("03000000616263"));
    refused(CorruptPayloadException.class, "Inference-Header-Content-Length 1000 is larger than the body of "
        + body.length + " bytes", () -> codec.readRequest(body, 1000));
  }

  @Test
  void headerLengthThatIsNotANumberOrZeroIsRefused() {
    refused(CorruptPayloadException.class, "Inference-Header-Content-Length '-5' is not a non-negative integer",
        () -> RestCodec.parseHeaderLength("-5"));
    refused(CorruptPayloadException.class, "Inference-Header-Content-Length '12abc' is not a non-negative integer",
        () -> RestCodec.parseHeaderLength("12abc"));
    assertEquals(-1, RestCodec.parseHeaderLength(null));
    assertEquals(42, RestCodec.parseHeaderLength(" 42 "));
    byte[] json = ascii(bytesInput("[1]", 7));
    assertThrows(UnsupportedPayloadException.class, () -> codec.readRequest(json, 0));
  }

  @Test
  void headerLengthShorterThanTheJsonIsRefused() {
    byte[] json = ascii(bytesInput("[1]", 7));
    byte[] body = concat(json, hex("03000000616263"));
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
        () -> codec.readRequest(body, json.length - 3));
    assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
  }

  @Test
  void binaryDataSizesThatDoNotAddUpAreRefused() {
    // Two bytes more than the size says.
    byte[] json = ascii(bytesInput("[1]", 7));
    refused(CorruptPayloadException.class, "the binary_data_size values add up to 7 bytes, but 9 bytes follow"
        + " the JSON header (Inference-Header-Content-Length " + json.length + ", body " + (json.length + 9) + ")",
        () -> request(json, hex("030000006162630000")));
    // Less data than the size says.
    byte[] json2 = ascii(bytesInput("[1]", 9));
    refused(CorruptPayloadException.class, "binary_data_size of input 'images' (9) runs past the end of the body:"
        + " 7 bytes follow the JSON header and the tensors before it take 0",
        () -> request(json2, hex("03000000616263")));
    // Two tensors whose sizes add up past the end, the second one overflowing.
    String two = "{\"inputs\":[{\"name\":\"a\",\"shape\":[4],\"datatype\":\"UINT8\",\"parameters\":{\"binary_data_size\":4}},"
        + "{\"name\":\"b\",\"shape\":[4],\"datatype\":\"UINT8\",\"parameters\":{\"binary_data_size\":9223372036854775807}}]}";
    refused(CorruptPayloadException.class, "binary_data_size of input 'b' (9223372036854775807) runs past the end"
        + " of the body: 8 bytes follow the JSON header and the tensors before it take 4",
        () -> request(ascii(two), new byte[8]));
    refused(CorruptPayloadException.class, "input 'images' binary_data_size must be a non-negative integer, got -1",
        () -> request(ascii(bytesInput("[1]", -1)), new byte[0]));
  }

  @Test
  void binaryDataWithoutTheHeaderLengthIsRefused() {
    byte[] json = ascii(bytesInput("[1]", 7));
    refused(CorruptPayloadException.class, "input 'images' has binary_data_size 7, but the body has no"
        + " Inference-Header-Content-Length: without it the whole body is JSON",
        () -> codec.readRequest(json, -1));
    // With the binary tail appended and no header, the tail is garbage after the JSON.
    CorruptPayloadException e = assertThrows(CorruptPayloadException.class,
        () -> codec.readRequest(concat(json, hex("03000000616263")), -1));
    assertTrue(e.getMessage().contains("after the JSON object") || e.getMessage().startsWith("malformed JSON"),
        e.getMessage());
  }

  @Test
  void bytesElementLengthsThatRunPastTheTensorAreRefused() {
    // Element 1 says 200 bytes; 2 are there.
    byte[] json = ascii(bytesInput("[2]", 13));
    refused(CorruptPayloadException.class, "tensor 'images': BYTES element 1 declares 200 bytes, only 2 are left"
        + " in the tensor data", () -> request(json, hex("03000000616263" + "c8000000" + "6465")));
    // A length of 4 GB - 1 in an 11-byte tensor.
    byte[] json2 = ascii(bytesInput("[1]", 11));
    refused(CorruptPayloadException.class, "tensor 'images': BYTES element 0 declares 4294967295 bytes, only 7 are"
        + " left in the tensor data", () -> request(json2, hex("ffffffff" + "61626364656667")));
    // No room for the second length prefix.
    byte[] json3 = ascii(bytesInput("[2]", 9));
    refused(CorruptPayloadException.class, "tensor 'images': BYTES element 1 of 2 has no room for its length"
        + " (2 bytes left)", () -> request(json3, hex("03000000616263" + "0000")));
    // Bytes left over after the last element.
    byte[] json4 = ascii(bytesInput("[1]", 9));
    refused(CorruptPayloadException.class, "tensor 'images': 2 bytes left over after its 1 BYTES elements",
        () -> request(json4, hex("03000000616263" + "6465")));
  }

  @Test
  void aShapeThatDisagreesWithTheDataIsRefused() {
    String fp32 = "{\"inputs\":[{\"name\":\"x\",\"shape\":[3,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":20}}]}";
    refused(CorruptPayloadException.class, "tensor 'x' of shape [3, 2] and type FP32 needs 24 bytes of data, got 20",
        () -> request(ascii(fp32), new byte[20]));
    String uint8 = "{\"inputs\":[{\"name\":\"px\",\"shape\":[2,1080,1920,3],\"datatype\":\"UINT8\",\"parameters\":{\"binary_data_size\":6220800}}]}";
    refused(CorruptPayloadException.class, "tensor 'px' of shape [2, 1080, 1920, 3] and type UINT8 needs 12441600"
        + " bytes of data, got 6220800", () -> request(ascii(uint8), new byte[6220800]));
    // BYTES shape [3] over two elements.
    refused(CorruptPayloadException.class, "tensor 'images': BYTES element 2 of 3 has no room for its length (0 bytes left)",
        () -> request(ascii(bytesInput("[3]", 13)), hex("03000000616263" + "02000000" + "6465")));
    // JSON data with one element too many, nested.
    String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"INT32\",\"data\":[[1,2],[3,4,5]]}]}";
    refused(CorruptPayloadException.class, "input 'x' 'data' has more than the 4 elements its shape holds",
        () -> codec.readRequest(ascii(json), -1));
    String negative = "{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"INT32\",\"data\":[]}]}";
    refused(CorruptPayloadException.class, "input 'x' 'shape' has the dimension -1",
        () -> codec.readRequest(ascii(negative), -1));
  }

  @Test
  void hugeDeclaredShapesAreRefusedWithoutAllocatingThem() {
    // A billion BYTES elements over 8 bytes of data; a billion FP32 over a JSON array of one.
    byte[] bytes = ascii(bytesInput("[1000000000]", 8));
    String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1000000000],\"datatype\":\"FP32\",\"data\":[1]}]}";
    String overflow = "{\"inputs\":[{\"name\":\"x\",\"shape\":[4294967296,4294967296,4294967296],\"datatype\":\"FP64\","
        + "\"parameters\":{\"binary_data_size\":8}}]}";
    for (Executable call : List.<Executable>of(
        () -> request(bytes, new byte[8]),
        () -> codec.readRequest(ascii(json), -1),
        () -> request(ascii(overflow), new byte[8]))) {
      assertThrows(CorruptPayloadException.class, call);
      long tid = Thread.currentThread().getId();
      long before = THREADS.getThreadAllocatedBytes(tid);
      CorruptPayloadException e = assertThrows(CorruptPayloadException.class, call);
      long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
      assertTrue(allocated < 256 << 10, "allocated " + allocated + " bytes before refusing: " + e.getMessage());
    }
  }

  @Test
  void unknownDatatypeIsRefused() {
    String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FLOAT32\",\"data\":[1]}]}";
    refused(UnsupportedPayloadException.class, "input 'x': unknown tensor datatype 'FLOAT32'; expected one of BOOL,"
        + " UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES",
        () -> codec.readRequest(ascii(json), -1));
    String lower = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"fp32\",\"data\":[1]}]}";
    assertThrows(UnsupportedPayloadException.class, () -> codec.readRequest(ascii(lower), -1),
        "wire names are case-sensitive");
  }

  @Test
  void missingPartsAreRefused() {
    refused(CorruptPayloadException.class, "the inference request has no 'inputs'",
        () -> codec.readRequest(ascii("{\"id\":\"1\"}"), -1));
    refused(CorruptPayloadException.class, "input 0 has no 'name'",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}]}"), -1));
    refused(CorruptPayloadException.class, "input 'x' has no 'shape'",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"data\":[1]}]}"), -1));
    refused(CorruptPayloadException.class, "input 'x' has no 'datatype'",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1]}]}"), -1));
    refused(CorruptPayloadException.class, "input 'x' has neither 'data' nor binary_data_size",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\"}]}"), -1));
    refused(CorruptPayloadException.class, "the request body has no JSON", () -> codec.readRequest(new byte[0], -1));
    refused(CorruptPayloadException.class, "two inputs are named 'x'", () -> codec.readRequest(ascii(
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]},"
            + "{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[2]}]}"), -1));
  }

  @Test
  void bothDataAndBinarySizeIsRefused() {
    String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"UINT8\",\"data\":[1],"
        + "\"parameters\":{\"binary_data_size\":1}}]}";
    refused(CorruptPayloadException.class, "input 'x' has both 'data' and binary_data_size; give one",
        () -> request(ascii(json), new byte[1]));
  }

  @Test
  void valuesOutOfTheirTypesRangeAreRefused() {
    refused(CorruptPayloadException.class, "input 'x' 'data' element 1 is out of range for UINT8: 256",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"UINT8\",\"data\":[1,256]}]}"), -1));
    refused(CorruptPayloadException.class, "input 'x' 'data' element 0 must be an integer for INT32, got VALUE_NUMBER_FLOAT",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1.5]}]}"), -1));
    refused(CorruptPayloadException.class, "input 'x' 'data' element 0 is out of range for FP32: 1e39",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1e39]}]}"), -1));
    refused(UnsupportedPayloadException.class, "input 'x' is FP16, which has no JSON form; send it as binary data",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP16\",\"data\":[1]}]}"), -1));
    refused(CorruptPayloadException.class, "input 'x' 'data' element 0 must be a string for BYTES, got VALUE_NUMBER_INT",
        () -> codec.readRequest(ascii("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[1]}]}"), -1));
  }

  @Test
  void limitsAreApplied() {
    RestCodec small = new RestCodec(Limits.builder().maxPayloadBytes(4).maxFramesPerBatch(2).maxDocumentBytes(4096)
        .maxNesting(6).build());
    byte[] json = ascii(bytesInput("[1]", 9));
    refused(PayloadTooLargeException.class, "tensor 'images': BYTES element 0 of 5 bytes exceeds the limit of 4",
        () -> small.readRequest(concat(json, hex("05000000" + "6162636465")), json.length));
    byte[] three = ascii(bytesInput("[3]", 12));
    refused(PayloadTooLargeException.class, "batch of 3 frames exceeds the limit of 2",
        () -> small.readRequest(concat(three, new byte[12]), three.length));
    refused(PayloadTooLargeException.class, "document of 5000 bytes exceeds the limit of 4096",
        () -> small.readRequest(new byte[5000], -1));
    String deep = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[[[[[[[1]]]]]]]}]}";
    assertThrows(PayloadTooLargeException.class, () -> small.readRequest(ascii(deep), -1));
    String base64 = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"content_type\":\"base64\"},"
        + "\"data\":[\"YWJjZGVm\"]}]}";
    assertThrows(PayloadTooLargeException.class, () -> small.readRequest(ascii(base64), -1));
  }

  @Test
  void responsesAreCheckedLikeRequests() {
    String out = "{\"outputs\":[{\"name\":\"boxes\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":12}}]}";
    refused(CorruptPayloadException.class, "tensor 'boxes' of shape [1, 4] and type FP32 needs 16 bytes of data, got 12",
        () -> codec.readResponse(concat(ascii(out), new byte[12]), out.length()));
    refused(CorruptPayloadException.class, "the inference response has no 'outputs'",
        () -> codec.readResponse(ascii("{\"model_name\":\"m\"}"), -1));
  }
}
