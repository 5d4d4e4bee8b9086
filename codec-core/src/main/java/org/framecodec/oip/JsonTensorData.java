package org.framecodec.oip;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.wire.Base64Codec;

/**
 * A tensor's {@code "data"} in JSON, to and from the binary layout {@link InferTensor} holds.
 *
 * <p>Reading accepts the natural nested form ({@code [[1, 2], [3, 4]]}) and the flat one
 * ({@code [1, 2, 3, 4]}), checks every value against the datatype's range and the count against
 * the shape, and sizes its output from the shape only after checking that the JSON can hold that
 * many elements, so a shape of {@code [1000000000]} over {@code [1]} allocates nothing. BYTES
 * elements are JSON strings: their UTF-8 bytes, or the bytes their base64 decodes to when the
 * tensor has {@code "content_type": "base64"}. FP16 has no JSON form and is refused.
 *
 * <p>Writing gives the flat form. Stateless and thread-safe.
 */
final class JsonTensorData {
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private JsonTensorData() {}

  /** Whether BYTES strings are base64 for this tensor's parameters. */
  static boolean base64(java.util.Map<String, Object> parameters) {
    return "base64".equals(parameters.get(Parameters.CONTENT_TYPE));
  }

  /**
   * Reads the array the parser stands on ({@code START_ARRAY}) into the binary layout.
   *
   * @param jsonBytes bytes of JSON the data array spans, which bounds how many elements it can hold
   */
  static byte[] read(JsonParser p, String where, Datatype type, long count, boolean base64, long jsonBytes,
      Limits limits) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new CorruptPayloadException(where + " 'data' must be an array, got " + p.currentToken());
    }
    if (type == Datatype.FP16) {
      throw new UnsupportedPayloadException(where + " is FP16, which has no JSON form; send it as binary data");
    }
    // Each element takes at least one character and a separator; a shape that promises more than
    // the JSON can hold is refused before its buffer is allocated.
    if (count > (jsonBytes + 1) / 2) {
      throw new CorruptPayloadException(where + " shape promises " + count + " elements, but its 'data' of "
          + jsonBytes + " bytes holds at most " + (jsonBytes + 1) / 2);
    }
    Sink sink;
    if (type == Datatype.BYTES) {
      limits.checkFrameCount(count);
      sink = new BytesSink(where, count, base64, limits);
    } else {
      long bytes = count * type.size();
      limits.checkDocumentBytes(bytes);
      sink = new FixedSink(where, type, (int) bytes);
    }
    long n = readArray(p, where, sink, count, 0, limits.maxNesting());
    if (n != count) {
      throw new CorruptPayloadException(where + " shape holds " + count + " elements, its 'data' has " + n);
    }
    return sink.result();
  }

  private static long readArray(JsonParser p, String where, Sink sink, long count, long n, int depthLeft)
      throws IOException {
    if (depthLeft <= 0) {
      throw new PayloadTooLargeException(where + " 'data' is nested too deeply");
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        throw new CorruptPayloadException(where + " 'data' is truncated");
      }
      if (t == JsonToken.START_ARRAY) {
        n = readArray(p, where, sink, count, n, depthLeft - 1);
        continue;
      }
      if (n >= count) {
        throw new CorruptPayloadException(where + " 'data' has more than the " + count
            + " elements its shape holds");
      }
      sink.accept(p, n);
      n++;
    }
    return n;
  }

  /** Writes {@code "data": [...]} for the tensor, flat. */
  static void write(JsonGenerator g, InferTensor t) throws IOException {
    ByteBuffer b = t.data();
    int n = (int) t.elementCount();
    g.writeArrayFieldStart("data");
    switch (t.datatype()) {
      case BOOL -> {
        for (int i = 0; i < n; i++) {
          byte v = b.get(i);
          if (v != 0 && v != 1) {
            // JSON's true reads back as 1: another byte would not survive the trip.
            throw new IllegalArgumentException("BOOL element " + i + " of tensor '" + t.name() + "' is byte "
                + (v & 0xff) + ", which JSON cannot carry (true reads back as 1); send it as binary data");
          }
          g.writeBoolean(v != 0);
        }
      }
      case UINT8, UINT16, INT8, INT16, INT32 -> {
        for (int v : t.asInts()) {
          g.writeNumber(v);
        }
      }
      case UINT32, INT64 -> {
        for (long v : t.asLongs()) {
          g.writeNumber(v);
        }
      }
      case UINT64 -> {
        for (int i = 0; i < n; i++) {
          g.writeNumber(Long.toUnsignedString(b.getLong(8 * i)));
        }
      }
      case FP32 -> {
        for (int i = 0; i < n; i++) {
          writeFinite(g, t, b.getFloat(4 * i));
        }
      }
      case FP64 -> {
        for (int i = 0; i < n; i++) {
          writeFinite(g, t, b.getDouble(8 * i));
        }
      }
      case FP16 -> throw new IllegalArgumentException("tensor '" + t.name()
          + "' is FP16, which has no JSON form; send it as binary data");
      case BYTES -> writeBytes(g, t);
    }
    g.writeEndArray();
  }

  private static void writeFinite(JsonGenerator g, InferTensor t, float v) throws IOException {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException("tensor '" + t.name() + "' holds " + v + ", which JSON cannot carry; send it as binary data");
    }
    g.writeNumber(v);
  }

  private static void writeFinite(JsonGenerator g, InferTensor t, double v) throws IOException {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("tensor '" + t.name() + "' holds " + v + ", which JSON cannot carry; send it as binary data");
    }
    g.writeNumber(v);
  }

  private static void writeBytes(JsonGenerator g, InferTensor t) throws IOException {
    boolean base64 = base64(t.parameters());
    byte[] scratch = base64 ? new byte[0] : null;
    var utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0; i < t.bytesElementCount(); i++) {
      int off = t.bytesElementOffset(i);
      int len = t.bytesElementLength(i);
      if (base64) {
        int need = Base64Codec.encodedLength(len);
        if (scratch.length < need) {
          scratch = new byte[need];
        }
        int m = Base64Codec.encode(t.dataArray(), off, len, scratch, 0);
        // Base64 needs no escaping: the generator copies the bytes between quotes as they are.
        g.writeRawUTF8String(scratch, 0, m);
      } else {
        try {
          g.writeString(utf8.decode(ByteBuffer.wrap(t.dataArray(), off, len)).toString());
        } catch (CharacterCodingException e) {
          throw new IllegalArgumentException("BYTES element " + i + " of tensor '" + t.name()
              + "' is not UTF-8 text; give the tensor the parameter content_type=base64 to send binary elements in JSON");
        }
      }
    }
  }

  /** Where read elements go. */
  private interface Sink {
    void accept(JsonParser p, long index) throws IOException;

    byte[] result();
  }

  private static final class FixedSink implements Sink {
    private final String where;
    private final Datatype type;
    private final ByteBuffer out;

    FixedSink(String where, Datatype type, int bytes) {
      this.where = where;
      this.type = type;
      this.out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void accept(JsonParser p, long index) throws IOException {
      JsonToken t = p.currentToken();
      String at = where + " 'data' element " + index;
      if (type == Datatype.BOOL) {
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
          throw new CorruptPayloadException(at + " must be true or false for BOOL, got " + t);
        }
        out.put((byte) (t == JsonToken.VALUE_TRUE ? 1 : 0));
        return;
      }
      if (type == Datatype.FP32 || type == Datatype.FP64) {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
          throw new CorruptPayloadException(at + " must be a number for " + type + ", got " + t);
        }
        double v = p.getDoubleValue();
        if (type == Datatype.FP32) {
          float f = (float) v;
          if (!Float.isFinite(f)) {
            throw new CorruptPayloadException(at + " is out of range for FP32: " + p.getText());
          }
          out.putFloat(f);
        } else {
          if (!Double.isFinite(v)) {
            throw new CorruptPayloadException(at + " is out of range for FP64: " + p.getText());
          }
          out.putDouble(v);
        }
        return;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw new CorruptPayloadException(at + " must be an integer for " + type + ", got " + t);
      }
      if (type == Datatype.UINT64) {
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() < 0 || v.compareTo(UINT64_MAX) > 0) {
          throw new CorruptPayloadException(at + " is out of range for UINT64: " + v);
        }
        out.putLong(v.longValue());
        return;
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new CorruptPayloadException(at + " is out of range for " + type + ": " + p.getText());
      }
      long v = p.getLongValue();
      long min;
      long max;
      switch (type) {
        case INT8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
        case INT16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
        case INT32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
        case INT64 -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
        case UINT8 -> { min = 0; max = 0xff; }
        case UINT16 -> { min = 0; max = 0xffff; }
        case UINT32 -> { min = 0; max = 0xffff_ffffL; }
        default -> throw new IllegalStateException(type.name());
      }
      if (v < min || v > max) {
        throw new CorruptPayloadException(at + " is out of range for " + type + ": " + v);
      }
      switch (type.size()) {
        case 1 -> out.put((byte) v);
        case 2 -> out.putShort((short) v);
        case 4 -> out.putInt((int) v);
        default -> out.putLong(v);
      }
    }

    @Override
    public byte[] result() {
      return out.array();
    }
  }

  private static final class BytesSink implements Sink {
    private final String where;
    private final boolean base64;
    private final Limits limits;
    private byte[] out;
    private int size;

    BytesSink(String where, long count, boolean base64, Limits limits) {
      this.where = where;
      this.base64 = base64;
      this.limits = limits;
      this.out = new byte[(int) Math.min(4 * count + 1024, 1 << 16)];
    }

    @Override
    public void accept(JsonParser p, long index) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw new CorruptPayloadException(where + " 'data' element " + index + " must be a string for BYTES, got "
            + p.currentToken());
      }
      byte[] element;
      if (base64) {
        try {
          element = Base64Codec.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(),
              limits.maxPayloadBytes());
        } catch (FrameFormatException e) {
          throw rethrow(e, where + " 'data' element " + index + " (base64)");
        }
      } else {
        element = p.getText().getBytes(StandardCharsets.UTF_8);
        limits.checkPayloadBytes(element.length);
      }
      ensure(4 + element.length);
      ByteBuffer.wrap(out, size, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(element.length);
      System.arraycopy(element, 0, out, size + 4, element.length);
      size += 4 + element.length;
    }

    private void ensure(int more) {
      long need = (long) size + more;
      limits.checkDocumentBytes(need);
      if (need > out.length) {
        out = Arrays.copyOf(out, (int) Math.min(Math.max(need, 2L * out.length), Integer.MAX_VALUE - 8));
      }
    }

    @Override
    public byte[] result() {
      return size == out.length ? out : Arrays.copyOf(out, size);
    }
  }

  private static FrameFormatException rethrow(FrameFormatException e, String context) {
    String m = context + ": " + e.getMessage();
    FrameFormatException wrapped = e instanceof PayloadTooLargeException ? new PayloadTooLargeException(m)
        : e instanceof UnsupportedPayloadException ? new UnsupportedPayloadException(m)
        : new CorruptPayloadException(m, e);
    if (wrapped.getCause() == null) {
      wrapped.initCause(e);
    }
    return wrapped;
  }
}
