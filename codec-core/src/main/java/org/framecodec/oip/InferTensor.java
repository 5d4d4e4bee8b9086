package org.framecodec.oip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;

/**
 * One tensor of the Open Inference Protocol: an input of a request or an output of a response,
 * with its name, {@link Datatype}, shape, parameters and data.
 *
 * <p>The data is always held in the protocol's binary layout, whichever way it travelled (binary
 * tail, JSON array, gRPC raw contents): little-endian, row-major, no padding; a {@link
 * Datatype#BYTES} element is a 4-byte little-endian unsigned length and then that many bytes.
 * <pre>
 *   FP32 [3, 2]:   | e0 (4 bytes LE) | e1 | e2 | e3 | e4 | e5 |          = 24 bytes
 *   BYTES [2]:     | len0 (4 bytes LE) | len0 bytes | len1 (4 bytes LE) | len1 bytes |
 * </pre>
 * The layout is checked when a tensor is made: the data must hold exactly the product of the
 * shape's dimensions in elements, and for BYTES every length must stay inside the data, with
 * nothing left over. The protocol sends the shape and the data separately, so a peer can make
 * them disagree; this is where that is caught.
 *
 * <p><b>Buffer ownership:</b> the data is a view of the array range it was made from (a request
 * body, a gRPC message, the caller's array), not a copy. Whoever made the tensor must not change
 * those bytes while it is in use; the tensor never changes them. Typed readers such as {@link
 * #asFloats()} return new arrays; {@link #data()} and {@link #bytesElement(int)} return read-only
 * views.
 *
 * <p>Immutable and thread-safe as a value. {@link #equals} compares name, type, shape, parameters
 * and data bytes.
 */
public final class InferTensor {
  /** Most dimensions a shape may have; far more than any image or detection tensor needs. */
  public static final int MAX_RANK = 16;
  /** Longest tensor name, in characters. */
  public static final int MAX_NAME_LENGTH = 256;

  private final String name;
  private final Datatype datatype;
  private final long[] shape;
  private final Map<String, Object> parameters;
  private final byte[] data;
  private final int offset;
  private final int length;
  private final long elementCount;
  /** BYTES only: where element i's bytes start in {@link #data} (after its length prefix). */
  private final int[] starts;

  private InferTensor(String name, Datatype datatype, long[] shape, Map<String, Object> parameters,
      byte[] data, int offset, int length, long elementCount, int[] starts) {
    this.name = name;
    this.datatype = datatype;
    this.shape = shape;
    this.parameters = parameters;
    this.data = data;
    this.offset = offset;
    this.length = length;
    this.elementCount = elementCount;
    this.starts = starts;
  }

  /**
   * A tensor over {@code data[offset, offset+length)}, already in the binary layout.
   *
   * @param name the tensor name
   * @param datatype the element type
   * @param shape the dimensions
   * @param data the data in the binary layout, not copied
   * @param offset where the data starts in {@code data}
   * @param length bytes of data
   * @return the tensor
   * @throws IllegalArgumentException when the name is empty or too long, the shape has a negative
   *     dimension or too many, or the data does not hold exactly the shape's elements
   */
  public static InferTensor of(String name, Datatype datatype, long[] shape, byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    return make(name, datatype, shape, Map.of(), data, offset, length, null, true);
  }

  /**
   * A tensor over the whole of {@code data}, already in the binary layout.
   *
   * @param name the tensor name
   * @param datatype the element type
   * @param shape the dimensions
   * @param data the data in the binary layout, not copied
   * @return the tensor
   */
  public static InferTensor of(String name, Datatype datatype, long[] shape, byte[] data) {
    Objects.requireNonNull(data, "data");
    return of(name, datatype, shape, data, 0, data.length);
  }

  /**
   * A {@link Datatype#BYTES} tensor of shape {@code [elements.size()]}; the elements are copied.
   *
   * @param name the tensor name
   * @param elements the elements, copied
   * @return the tensor
   */
  public static InferTensor bytes(String name, List<byte[]> elements) {
    Objects.requireNonNull(elements, "elements");
    return bytes(name, new long[] {elements.size()}, elements);
  }

  /**
   * A {@link Datatype#BYTES} tensor of the given shape; the elements are copied, in row-major order.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param elements the elements, copied
   * @return the tensor
   */
  public static InferTensor bytes(String name, long[] shape, List<byte[]> elements) {
    Objects.requireNonNull(elements, "elements");
    long total = 0;
    for (byte[] e : elements) {
      total += 4L + Objects.requireNonNull(e, "element").length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("BYTES tensor of " + total + " bytes does not fit one array");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] e : elements) {
      b.putInt(e.length).put(e);
    }
    return of(name, Datatype.BYTES, shape, b.array());
  }

  /**
   * An {@link Datatype#FP32} tensor; the values are copied.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param values the values, copied
   * @return the tensor
   */
  public static InferTensor fp32(String name, long[] shape, float... values) {
    return typed(name, Datatype.FP32, shape, values.length, b -> b.asFloatBuffer().put(values));
  }

  /**
   * An {@link Datatype#FP64} tensor; the values are copied.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param values the values, copied
   * @return the tensor
   */
  public static InferTensor fp64(String name, long[] shape, double... values) {
    return typed(name, Datatype.FP64, shape, values.length, b -> b.asDoubleBuffer().put(values));
  }

  /**
   * An {@link Datatype#INT32} tensor; the values are copied.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param values the values, copied
   * @return the tensor
   */
  public static InferTensor int32(String name, long[] shape, int... values) {
    return typed(name, Datatype.INT32, shape, values.length, b -> b.asIntBuffer().put(values));
  }

  /**
   * A {@link Datatype#UINT32} tensor of the values' low 32 bits; the values are copied.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param values the values, copied
   * @return the tensor
   */
  public static InferTensor uint32(String name, long[] shape, int... values) {
    return typed(name, Datatype.UINT32, shape, values.length, b -> b.asIntBuffer().put(values));
  }

  /**
   * An {@link Datatype#INT64} tensor; the values are copied.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param values the values, copied
   * @return the tensor
   */
  public static InferTensor int64(String name, long[] shape, long... values) {
    return typed(name, Datatype.INT64, shape, values.length, b -> b.asLongBuffer().put(values));
  }

  /**
   * A {@link Datatype#BOOL} tensor (true = 1, false = 0); the values are copied.
   *
   * @param name the tensor name
   * @param shape the dimensions
   * @param values the values, copied
   * @return the tensor
   */
  public static InferTensor bool(String name, long[] shape, boolean... values) {
    return typed(name, Datatype.BOOL, shape, values.length, b -> {
      for (boolean v : values) {
        b.put((byte) (v ? 1 : 0));
      }
    });
  }

  /** {@return the first of {@code tensors} named {@code name}, or null} */
  static InferTensor named(List<InferTensor> tensors, String name) {
    for (InferTensor t : tensors) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The typed factories' one path: {@code count} elements of {@code datatype}, which {@code fill}
   * writes into a little-endian buffer of exactly their size, become the tensor's data.
   */
  private static InferTensor typed(String name, Datatype datatype, long[] shape, int count,
      Consumer<ByteBuffer> fill) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(count, datatype.size())).order(ByteOrder.LITTLE_ENDIAN);
    fill.accept(b);
    return of(name, datatype, shape, b.array());
  }

  /**
   * A tensor made from a peer's message: the same checks as {@link #of}, plus {@code limits},
   * failing with the {@link org.framecodec.FrameFormatException} family, whose message names
   * the tensor. The caller has checked the range.
   */
  static InferTensor parsed(String name, Datatype datatype, long[] shape, Map<String, Object> parameters,
      byte[] data, int offset, int length, Limits limits) {
    return make(name, datatype, shape, parameters, data, offset, length, limits, false);
  }

  private static InferTensor make(String name, Datatype datatype, long[] shape, Map<String, Object> parameters,
      byte[] data, int offset, int length, Limits limits, boolean callerBlame) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    Objects.requireNonNull(shape, "shape");
    Blame blame = callerBlame ? Blame.CALLER : Blame.PEER;
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw blame.bad("tensor name must be 1.." + MAX_NAME_LENGTH + " characters, got " + name.length());
    }
    String where = "tensor '" + Strings.excerpt(name) + "'";
    long count = elementCount(where, shape, blame);
    int[] starts = null;
    if (datatype.fixedSize()) {
      // count * size cannot overflow: count is at most a few billion before this check fails.
      long expected = count > Integer.MAX_VALUE ? Long.MAX_VALUE : count * datatype.size();
      if (expected != length) {
        throw blame.bad(where + " of shape " + Arrays.toString(shape) + " and type " + datatype
            + " needs " + (expected == Long.MAX_VALUE ? "more than 2^31" : String.valueOf(expected))
            + " bytes of data, got " + length);
      }
    } else {
      starts = walkBytes(where, count, data, offset, length, limits, blame);
    }
    long[] s = shape.clone();
    return new InferTensor(name, datatype, s, callerBlame ? Parameters.copy(parameters) : parameters,
        data, offset, length, count, starts);
  }

  private static long elementCount(String where, long[] shape, Blame blame) {
    if (shape.length > MAX_RANK) {
      throw blame.bad(where + " has " + shape.length + " dimensions, more than " + MAX_RANK);
    }
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw blame.bad(where + " has a negative dimension in its shape " + Arrays.toString(shape));
      }
      // Saturate instead of overflowing: any product past 2^31 is refused by the size checks.
      count = d != 0 && count > Integer.MAX_VALUE * 16L / d ? Long.MAX_VALUE / 2 : count * d;
    }
    return count;
  }

  /** Walks the BYTES layout once: each element's start, every length checked against the data. */
  private static int[] walkBytes(String where, long count, byte[] data, int offset, int length,
      Limits limits, Blame blame) {
    // Every element takes at least its 4-byte length, so more than length/4 cannot be there; this
    // bounds the offsets array by the data actually received, whatever the shape claims.
    if (count > length / 4) {
      throw blame.bad(where + " declares " + count + " BYTES elements, but " + length
          + " bytes of data hold at most " + length / 4);
    }
    if (limits != null) {
      limits.checkFrameCount(count);
    }
    int[] starts = new int[(int) count];
    int pos = offset;
    int end = offset + length;
    for (int i = 0; i < count; i++) {
      if (end - pos < 4) {
        throw blame.bad(where + ": BYTES element " + i + " of " + count + " has no room for its length ("
            + (end - pos) + " bytes left)");
      }
      long n = Integer.toUnsignedLong(readIntLe(data, pos));
      pos += 4;
      if (n > end - pos) {
        throw blame.bad(where + ": BYTES element " + i + " declares " + n + " bytes, only "
            + (end - pos) + " are left in the tensor data");
      }
      if (limits != null && n > limits.maxPayloadBytes()) {
        throw new PayloadTooLargeException(where + ": BYTES element " + i + " of " + n
            + " bytes exceeds the limit of " + limits.maxPayloadBytes());
      }
      starts[i] = pos;
      pos += (int) n;
    }
    if (pos != end) {
      throw blame.bad(where + ": " + (end - pos) + " bytes left over after its " + count
          + " BYTES elements");
    }
    return starts;
  }

  static int readIntLe(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  /** {@return the tensor name} */
  public String name() {
    return name;
  }

  /** {@return the element type} */
  public Datatype datatype() {
    return datatype;
  }

  /** {@return a copy of the shape} */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * Dimension {@code i} of the shape.
   *
   * @param i the element index (dimension index for {@code dim})
   * @return the dimension's size
   */
  public long dim(int i) {
    return shape[i];
  }

  /** {@return number of dimensions} */
  public int rank() {
    return shape.length;
  }

  /** {@return the product of the shape's dimensions} */
  public long elementCount() {
    return elementCount;
  }

  /** {@return the tensor's parameters (unmodifiable; values are String, Long, Double or Boolean)} */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /**
   * This tensor with one parameter added or replaced; the data is shared.
   *
   * @param key the parameter name
   * @param value a String, Long, Double or Boolean
   * @return a new tensor
   */
  public InferTensor withParameter(String key, Object value) {
    return new InferTensor(name, datatype, shape, Parameters.with(parameters, key, value), data, offset,
        length, elementCount, starts);
  }

  /**
   * This tensor with these parameters instead of its own; the data is shared.
   *
   * @param values String, Long, Double or Boolean values by name, copied
   * @return a new tensor
   */
  public InferTensor withParameters(Map<String, ?> values) {
    return new InferTensor(name, datatype, shape, Parameters.copy(values), data, offset, length,
        elementCount, starts);
  }

  /**
   * This tensor under another name; the data is shared.
   *
   * @param newName the new name
   * @return a new tensor
   */
  public InferTensor withName(String newName) {
    return make(newName, datatype, shape, parameters, data, offset, length, null, true);
  }

  /** {@return the array holding the data (not a copy); the data is {@link #dataLength()} bytes from {@link #dataOffset()}} */
  public byte[] dataArray() {
    return data;
  }

  /** {@return where the data starts in {@link #dataArray()}} */
  public int dataOffset() {
    return offset;
  }

  /** {@return bytes of data in the binary layout (for BYTES, length prefixes included)} */
  public int dataLength() {
    return length;
  }

  /** {@return a read-only little-endian view of the data, position 0} */
  public ByteBuffer data() {
    return ByteBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@return number of BYTES elements; the same as {@link #elementCount()}} */
  public int bytesElementCount() {
    requireBytes();
    return starts.length;
  }

  /**
   * Where BYTES element {@code i} starts in {@link #dataArray()}, after its length prefix.
   *
   * @param i the element index (dimension index for {@code dim})
   * @return an index into {@link #dataArray()}
   */
  public int bytesElementOffset(int i) {
    requireBytes();
    return starts[i];
  }

  /**
   * Length of BYTES element {@code i}.
   *
   * @param i the element index (dimension index for {@code dim})
   * @return its length in bytes
   */
  public int bytesElementLength(int i) {
    requireBytes();
    return readIntLe(data, starts[i] - 4);
  }

  /**
   * A read-only view of BYTES element {@code i}.
   *
   * @param i the element index (dimension index for {@code dim})
   * @return the view
   */
  public ByteBuffer bytesElement(int i) {
    return ByteBuffer.wrap(data, bytesElementOffset(i), bytesElementLength(i)).slice().asReadOnlyBuffer();
  }

  /**
   * A copy of BYTES element {@code i}.
   *
   * @param i the element index (dimension index for {@code dim})
   * @return the copy
   */
  public byte[] bytesElementCopy(int i) {
    int at = bytesElementOffset(i);
    return Arrays.copyOfRange(data, at, at + bytesElementLength(i));
  }

  private void requireBytes() {
    if (datatype != Datatype.BYTES) {
      throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not BYTES");
    }
  }

  /** {@return the elements as floats: FP32 as they are} */
  public float[] asFloats() {
    requireType(Datatype.FP32);
    float[] out = new float[(int) elementCount];
    data().asFloatBuffer().get(out);
    return out;
  }

  /** {@return the elements as doubles: FP64 as they are, FP32 widened} */
  public double[] asDoubles() {
    double[] out = new double[(int) elementCount];
    ByteBuffer b = data();
    switch (datatype) {
      case FP64 -> b.asDoubleBuffer().get(out);
      case FP32 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = b.getFloat(4 * i);
        }
      }
      default -> throw wrongType("FP32 or FP64");
    }
    return out;
  }

  /** {@return the elements as ints: INT8, INT16, INT32, UINT8 and UINT16 (zero-extended), and BOOL as 0/1} */
  public int[] asInts() {
    int[] out = new int[(int) elementCount];
    ByteBuffer b = data();
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (datatype) {
        case INT8 -> b.get(i);
        case UINT8, BOOL -> b.get(i) & 0xff;
        case INT16 -> b.getShort(2 * i);
        case UINT16 -> b.getShort(2 * i) & 0xffff;
        case INT32 -> b.getInt(4 * i);
        default -> throw wrongType("INT8, INT16, INT32, UINT8, UINT16 or BOOL");
      };
    }
    return out;
  }

  /** {@return the elements as longs: every integer type; UINT32 zero-extended; UINT64 as its 64 bits} */
  public long[] asLongs() {
    long[] out = new long[(int) elementCount];
    ByteBuffer b = data();
    switch (datatype) {
      case INT64, UINT64 -> b.asLongBuffer().get(out);
      case UINT32 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Integer.toUnsignedLong(b.getInt(4 * i));
        }
      }
      case INT8, INT16, INT32, UINT8, UINT16, BOOL -> {
        int[] ints = asInts();
        for (int i = 0; i < out.length; i++) {
          out[i] = ints[i];
        }
      }
      default -> throw wrongType("an integer type");
    }
    return out;
  }

  /** {@return the elements of a BOOL tensor; any non-zero byte is true} */
  public boolean[] asBooleans() {
    requireType(Datatype.BOOL);
    boolean[] out = new boolean[(int) elementCount];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[offset + i] != 0;
    }
    return out;
  }

  private void requireType(Datatype expected) {
    if (datatype != expected) {
      throw wrongType(expected.name());
    }
  }

  private IllegalStateException wrongType(String expected) {
    return new IllegalStateException("tensor '" + name + "' is " + datatype + ", not " + expected);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferTensor t && name.equals(t.name) && datatype == t.datatype
        && Arrays.equals(shape, t.shape) && parameters.equals(t.parameters)
        && Arrays.equals(data, offset, offset + length, t.data, t.offset, t.offset + t.length);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(name, datatype, parameters);
    h = 31 * h + Arrays.hashCode(shape);
    for (int i = offset; i < offset + Math.min(length, 64); i++) {
      h = 31 * h + data[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "InferTensor{" + name + ", " + datatype + " " + Arrays.toString(shape) + ", " + length + " bytes"
        + (parameters.isEmpty() ? "" : ", " + parameters) + "}";
  }

  /** Who gets the blame for a bad layout: the caller (a bug) or the peer (bad input). */
  private enum Blame {
    CALLER, PEER;

    RuntimeException bad(String message) {
      return this == CALLER ? new IllegalArgumentException(message) : new CorruptPayloadException(message);
    }
  }
}
