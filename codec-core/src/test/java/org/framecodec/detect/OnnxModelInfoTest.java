package org.framecodec.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.framecodec.CorpusFrames;
import org.junit.jupiter.api.Test;

class OnnxModelInfoTest {
  static final int Q = OnnxModelInfo.DYNAMIC;

  @Test
  void readsTheBlazeFaceModels() throws IOException {
    OnnxModelInfo front = OnnxModelInfo.parse(Files.readAllBytes(CorpusFrames.frontModel()), "front");
    assertEquals(1, front.inputs().size());
    assertArrayEquals(new int[] {Q, 128, 128, 3}, front.inputs().get(0).dims());
    assertEquals(4, front.outputs().size());
    OnnxModelInfo back = OnnxModelInfo.parse(Files.readAllBytes(CorpusFrames.backModel()), "back");
    assertArrayEquals(new int[] {Q, 256, 256, 3}, back.inputs().get(0).dims());
  }

  @Test
  void rewritingTheBatchDimensionIsSeenByTheParser() throws IOException {
    byte[] fixed = withFixedBatch(Files.readAllBytes(CorpusFrames.frontModel()), 1);
    assertArrayEquals(new int[] {1, 128, 128, 3},
        OnnxModelInfo.parse(fixed, "fixed").inputs().get(0).dims());
  }

  @Test
  void fixedBatchAndInitializerInputs() {
    // graph { initializer { name: "w" }  input { name: "w" }  input { name: "x" shape [1, 3, 640, 640] }
    //         output { name: "y" shape [1, 25200, "classes"] } }
    byte[] graph = cat(
        field(5, field(8, "w".getBytes(StandardCharsets.UTF_8))),
        field(11, field(1, "w".getBytes(StandardCharsets.UTF_8))),
        field(11, valueInfo("x", dim(1), dim(3), dim(640), dim(640))),
        field(12, valueInfo("y", dim(1), dim(25200), param("classes"))));
    OnnxModelInfo info = OnnxModelInfo.parse(field(7, graph), "tiny");
    assertEquals(1, info.inputs().size());
    assertEquals("x [1, 3, 640, 640]", info.inputs().get(0).toString());
    assertEquals("y [1, 25200, ?]", info.outputs().get(0).toString());
  }

  @Test
  void rejectsWhatIsNotAModel() {
    DetectorException e = assertThrows(DetectorException.class, () -> OnnxModelInfo.parse(new byte[0], "empty"));
    assertEquals("empty is not an ONNX model: no graph (ModelProto field 7)", e.getMessage());
    e = assertThrows(DetectorException.class,
        () -> OnnxModelInfo.parse(new byte[] {(byte) 0x3a, (byte) 0xff, 0x01}, "lying"));
    assertTrue(e.getMessage().startsWith("lying is not an ONNX model: length 255"), e.getMessage());
    e = assertThrows(DetectorException.class, () -> OnnxModelInfo.parse(field(7, new byte[0]), "hollow"));
    assertEquals("hollow is not a usable ONNX model: it declares 0 inputs and 0 outputs", e.getMessage());
    e = assertThrows(DetectorException.class, () -> OnnxModelInfo.parse(new byte[] {0x0b}, "group"));
    assertTrue(e.getMessage().contains("unsupported wire type 3"), e.getMessage());
  }

  /**
   * The model with the first dimension of its first input fixed to {@code batch}: the path
   * ModelProto.graph(7) / input(11) / type(2) / tensor_type(1) / shape(2) / dim(1) rewritten,
   * every enclosing length re-encoded, all other bytes copied.
   */
  static byte[] withFixedBatch(byte[] model, int batch) {
    return rewrite(model, new int[] {7, 11, 2, 1, 2, 1}, 0, dim(batch));
  }

  private static byte[] rewrite(byte[] msg, int[] path, int depth, byte[] leaf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] pos = {0};
    boolean done = false;
    while (pos[0] < msg.length) {
      int start = pos[0];
      long key = readVarint(msg, pos);
      int wire = (int) (key & 7);
      if (wire == 2) {
        int len = (int) readVarint(msg, pos);
        int bodyStart = pos[0];
        pos[0] += len;
        if (!done && key >>> 3 == path[depth]) {
          byte[] body = Arrays.copyOfRange(msg, bodyStart, bodyStart + len);
          out.writeBytes(field(path[depth],
              depth == path.length - 1 ? leaf : rewrite(body, path, depth + 1, leaf)));
          done = true;
          continue;
        }
      } else if (wire == 0) {
        readVarint(msg, pos);
      } else {
        pos[0] += wire == 1 ? 8 : 4;
      }
      out.write(msg, start, pos[0] - start);
    }
    return out.toByteArray();
  }

  private static long readVarint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }

  static byte[] valueInfo(String name, byte[]... dims) {
    byte[] shape = cat(Arrays.stream(dims).map(d -> field(1, d)).toArray(byte[][]::new));
    byte[] tensorType = cat(new byte[] {0x08, 0x01}, field(2, shape)); // elem_type FLOAT, shape
    return cat(field(1, name.getBytes(StandardCharsets.UTF_8)), field(2, field(1, tensorType)));
  }

  static byte[] dim(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x08);
    varint(out, value);
    return out.toByteArray();
  }

  static byte[] param(String name) {
    return field(2, name.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] field(int number, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, number << 3 | 2);
    varint(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
