package org.framecodec.detect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The declared inputs and outputs of an ONNX model, read from its protobuf bytes without an ONNX
 * runtime: enough to learn the input size, the tensor layout and whether the batch dimension is
 * dynamic before OpenCV sees the model.
 *
 * <p>OpenCV DNN has no call that reports a model's input shape, so this reads the few fields it
 * needs from the {@code ModelProto} wire format (field numbers from onnx.proto):
 *
 * <pre>
 * ModelProto      7: graph (GraphProto)
 * GraphProto      5: initializer (TensorProto, name in field 8)   11: input   12: output
 * ValueInfoProto  1: name   2: type (TypeProto)
 * TypeProto       1: tensor_type (1: elem_type varint, 2: shape)
 * TensorShape     1: dim (repeated; 1: dim_value varint, 2: dim_param string)
 * </pre>
 *
 * Graph inputs that are also initializers (weights, in models from older exporters) are not
 * inputs. Every length is checked against the bytes left, so a damaged or non-ONNX file fails
 * with {@link DetectorException} instead of reading out of bounds. Immutable and thread-safe.
 */
final class OnnxModelInfo {
  /** A dimension that is not a fixed positive number (a named or unknown one). */
  static final int DYNAMIC = -1;

  /** One declared input or output: its name and dimensions, {@link #DYNAMIC} where not fixed. */
  record ValueInfo(String name, int[] dims) {
    ValueInfo {
      dims = dims.clone();
    }

    @Override
    public int[] dims() {
      return dims.clone();
    }

    int dim(int i) {
      return dims[i];
    }

    int rank() {
      return dims.length;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(name).append(" [");
      for (int i = 0; i < dims.length; i++) {
        sb.append(i > 0 ? ", " : "").append(dims[i] == DYNAMIC ? "?" : Integer.toString(dims[i]));
      }
      return sb.append(']').toString();
    }
  }

  private final List<ValueInfo> inputs;
  private final List<ValueInfo> outputs;

  private OnnxModelInfo(List<ValueInfo> inputs, List<ValueInfo> outputs) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /** Real (non-initializer) inputs in declaration order. */
  List<ValueInfo> inputs() {
    return inputs;
  }

  List<ValueInfo> outputs() {
    return outputs;
  }

  /**
   * Parses the model bytes; {@code source} names the file in messages. Throws
   * {@link DetectorException} when the bytes are not an ONNX model with a graph and an input.
   */
  static OnnxModelInfo parse(byte[] model, String source) {
    try {
      Reader top = new Reader(model, 0, model.length);
      Reader graph = null;
      while (top.more()) {
        int key = top.varint32();
        if (key >>> 3 == 7 && (key & 7) == 2) {
          graph = top.sub();
        } else {
          top.skip(key);
        }
      }
      if (graph == null) {
        throw new DetectorException(source + " is not an ONNX model: no graph (ModelProto field 7)");
      }
      List<ValueInfo> declared = new ArrayList<>();
      List<ValueInfo> outputs = new ArrayList<>();
      Set<String> initializers = new HashSet<>();
      while (graph.more()) {
        int key = graph.varint32();
        int field = key >>> 3;
        if ((key & 7) == 2 && field == 5) {
          initializers.add(tensorName(graph.sub()));
        } else if ((key & 7) == 2 && (field == 11 || field == 12)) {
          (field == 11 ? declared : outputs).add(valueInfo(graph.sub()));
        } else {
          graph.skip(key);
        }
      }
      List<ValueInfo> inputs = new ArrayList<>();
      for (ValueInfo v : declared) {
        if (!initializers.contains(v.name())) {
          inputs.add(v);
        }
      }
      if (inputs.isEmpty() || outputs.isEmpty()) {
        throw new DetectorException(source + " is not a usable ONNX model: it declares "
            + inputs.size() + " inputs and " + outputs.size() + " outputs");
      }
      return new OnnxModelInfo(inputs, outputs);
    } catch (MalformedException e) {
      throw new DetectorException(source + " is not an ONNX model: " + e.getMessage(), e);
    }
  }

  private static String tensorName(Reader tensor) throws MalformedException {
    String name = "";
    while (tensor.more()) {
      int key = tensor.varint32();
      if (key >>> 3 == 8 && (key & 7) == 2) {
        name = tensor.string();
      } else {
        tensor.skip(key);
      }
    }
    return name;
  }

  private static ValueInfo valueInfo(Reader r) throws MalformedException {
    String name = "";
    int[] dims = new int[0];
    while (r.more()) {
      int key = r.varint32();
      if (key >>> 3 == 1 && (key & 7) == 2) {
        name = r.string();
      } else if (key >>> 3 == 2 && (key & 7) == 2) {
        dims = tensorDims(r.sub());
      } else {
        r.skip(key);
      }
    }
    return new ValueInfo(name, dims);
  }

  /** TypeProto -> tensor_type -> shape -> dims; a non-tensor type has no dims. */
  private static int[] tensorDims(Reader type) throws MalformedException {
    int[] dims = new int[0];
    while (type.more()) {
      int key = type.varint32();
      if (key >>> 3 == 1 && (key & 7) == 2) {
        Reader tensor = type.sub();
        while (tensor.more()) {
          int k = tensor.varint32();
          if (k >>> 3 == 2 && (k & 7) == 2) {
            dims = shapeDims(tensor.sub());
          } else {
            tensor.skip(k);
          }
        }
      } else {
        type.skip(key);
      }
    }
    return dims;
  }

  private static int[] shapeDims(Reader shape) throws MalformedException {
    int[] dims = new int[0];
    while (shape.more()) {
      int key = shape.varint32();
      if (key >>> 3 == 1 && (key & 7) == 2) {
        Reader dim = shape.sub();
        int value = DYNAMIC;
        while (dim.more()) {
          int k = dim.varint32();
          if (k >>> 3 == 1 && (k & 7) == 0) {
            long v = dim.varint64();
            value = v > 0 && v <= Integer.MAX_VALUE ? (int) v : DYNAMIC;
          } else {
            dim.skip(k);
          }
        }
        dims = Arrays.copyOf(dims, dims.length + 1);
        dims[dims.length - 1] = value;
      } else {
        shape.skip(key);
      }
    }
    return dims;
  }

  /** A checked failure inside the parser, turned into one {@link DetectorException} at the top. */
  private static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  /** A bounded cursor over protobuf wire data. */
  private static final class Reader {
    private final byte[] data;
    private int pos;
    private final int end;

    Reader(byte[] data, int pos, int end) {
      this.data = data;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint64() throws MalformedException {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new MalformedException("truncated varint at byte " + pos);
        }
        byte b = data[pos++];
        result |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw new MalformedException("varint longer than 10 bytes at byte " + pos);
    }

    int varint32() throws MalformedException {
      long v = varint64();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new MalformedException("field key " + v + " out of range at byte " + pos);
      }
      return (int) v;
    }

    private int length() throws MalformedException {
      long n = varint64();
      if (n < 0 || n > end - pos) {
        throw new MalformedException("length " + n + " at byte " + pos + " runs past the "
            + (end - pos) + " bytes left");
      }
      return (int) n;
    }

    Reader sub() throws MalformedException {
      int n = length();
      Reader r = new Reader(data, pos, pos + n);
      pos += n;
      return r;
    }

    String string() throws MalformedException {
      int n = length();
      String s = new String(data, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    void skip(int key) throws MalformedException {
      switch (key & 7) {
        case 0 -> varint64();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw new MalformedException("unsupported wire type " + (key & 7)
            + " (field " + (key >>> 3) + ") at byte " + pos);
      }
    }

    private void advance(int n) throws MalformedException {
      if (n > end - pos) {
        throw new MalformedException("field of " + n + " bytes at byte " + pos + " runs past the "
            + (end - pos) + " bytes left");
      }
      pos += n;
    }
  }
}
