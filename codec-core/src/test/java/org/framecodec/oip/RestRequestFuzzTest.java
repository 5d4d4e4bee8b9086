package org.framecodec.oip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.framecodec.FrameFormatException;
import org.framecodec.FuzzLimits;

/**
 * Coverage-guided fuzzing of {@link RestCodec#readRequest}, the REST binary request parser a
 * server hands every {@code POST /v2/models/{name}/infer} body to, under small {@link FuzzLimits
 * limits}.
 *
 * <p>Input layout: two bytes, a big-endian signed offset {@code d}, then the body. The header
 * length given to the parser is the length of the body's leading JSON object (found by counting
 * brackets outside strings) plus {@code d}, or "no header" when {@code d} is -32768; so the
 * fuzzer starts from honest header lengths and mutates them too.
 *
 * <p>Properties: any body either reads or raises the {@link FrameFormatException} family (never
 * another exception, a hang or an out-of-memory error); and what was read writes back, in binary
 * and (where JSON can carry it) in JSON, to a body that reads as the same request.
 */
class RestRequestFuzzTest {
  private static final RestCodec CODEC = new RestCodec(FuzzLimits.SMALL);

  @FuzzTest(maxDuration = "60s")
  void readRefusesOrRoundTrips(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int delta = (short) ((input[0] & 0xff) << 8 | (input[1] & 0xff));
    byte[] body = Arrays.copyOfRange(input, 2, input.length);
    long header = delta == Short.MIN_VALUE ? -1 : jsonEnd(body) + delta;
    InferRequest r;
    try {
      r = CODEC.readRequest(body, header < -1 ? -1 : header);
    } catch (FrameFormatException refused) {
      return;
    }
    RestBody binary = CODEC.writeRequest(r, true);
    assertSame(r, CODEC.readRequest(binary.body(), binary.headerLength()), "binary");
    RestBody json;
    try {
      json = CODEC.writeRequest(r, false);
    } catch (IllegalArgumentException notJson) {
      return; // FP16, NaN, BOOL bytes other than 0/1, or non-UTF-8 BYTES without content_type=base64: binary only, by design
    }
    assertSame(r, CODEC.readRequest(json.body(), json.headerLength()), "JSON");
  }

  private static void assertSame(InferRequest a, InferRequest b, String how) {
    assertEquals(a.modelName(), b.modelName(), how);
    assertEquals(a.modelVersion(), b.modelVersion(), how);
    assertEquals(a.id(), b.id(), how);
    assertEquals(a.parameters(), b.parameters(), how);
    assertEquals(a.inputs(), b.inputs(), how);
    assertEquals(a.outputs(), b.outputs(), how);
  }

  /** Index just past the top-level JSON object at the start, or the body length. */
  static int jsonEnd(byte[] b) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < b.length; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      }
    }
    return b.length;
  }
}
