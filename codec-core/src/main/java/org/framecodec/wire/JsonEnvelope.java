package org.framecodec.wire;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;

/**
 * The JSON framing: one frame as an envelope object, a batch as {@code {"frames": [...]}}, or a
 * bare JSON string of base64 (what the Python peer's decode function takes), content type
 * {@code application/json}.
 *
 * <pre>
 * {"shape": [1080, 1920, 3], "mode": "cv2-yuv", "quality": 80,
 *  "timestamp_us": 1718000000123456, "stream": "cam-7", "frame": 42, "data": "/9j/4AAQSkZJRg..."}
 *
 * {"frames": [{"shape": [...], "mode": ..., "data": ...}, ...]}
 * </pre>
 * Fields of a frame: {@code shape} (required; {@code [height, width, channels]} or
 * {@code [height, width]} for one channel; positive integers, channels 1 or 3), {@code mode}
 * (required; a {@link JpegMode#wireName()}), {@code data} (required; the JPEG payload in base64,
 * read exactly as {@link Base64Codec} reads text), {@code quality} (optional integer 1..100),
 * {@code timestamp_us} (optional integer, microseconds on the sender's clock), {@code stream}
 * (optional string), {@code frame} (optional integer 0..2^63-1, the frame's number in its
 * stream). Optional fields may be {@code null}. Unknown fields are skipped, so senders
 * may add their own; a known field given twice is an error. The writer emits fields in the order
 * above, {@code shape} always with three entries, optional fields only when set. For a bare
 * string the frame's size and channels come from the JPEG header and its mode is the one this
 * envelope was configured with ({@code cv2-yuv} by default).
 *
 * <p>Reading uses Jackson's streaming parser with {@link StreamReadConstraints} taken from
 * {@link Limits}: nesting depth, document length and string length (the base64 of
 * {@link Limits#maxPayloadBytes()} plus room for line breaks). Because Jackson checks the last
 * two only when it refills or grows a buffer, this class also counts stream bytes itself and
 * checks the length of every {@code data} string. Frame counts, pixel counts and
 * payload sizes are checked before anything of that size is allocated: the base64 decoder counts
 * its output before allocating it. Malformed JSON, missing or mistyped fields and bad base64
 * raise {@link CorruptPayloadException}; an unknown mode or channel count
 * {@link UnsupportedPayloadException}; anything over a limit {@link PayloadTooLargeException}.
 * Payloads of frames read here are new arrays.
 *
 * <p>Writing streams base64 straight into the generator's output from a byte buffer, with no
 * intermediate {@code String}. Immutable and thread-safe.
 */
public final class JsonEnvelope {
  /** Field name: {@code [height, width, channels]}. */
  public static final String SHAPE = "shape";
  /** Field name: the JPEG mode's wire name. */
  public static final String MODE = "mode";
  /** Field name: the JPEG quality. */
  public static final String QUALITY = "quality";
  /** Field name: the timestamp in microseconds. */
  public static final String TIMESTAMP = "timestamp_us";
  /** Field name: the stream id. */
  public static final String STREAM = "stream";
  /** Field name: the frame number. */
  public static final String FRAME = "frame";
  /** Field name: the payload in base64. */
  public static final String DATA = "data";
  /** Field name: the array of envelopes in a batch. */
  public static final String FRAMES = "frames";

  private final Limits limits;
  private final JpegMode bareMode;
  private final JsonFactory factory;

  /** Default limits; bare strings are read as {@code cv2-yuv}. */
  public JsonEnvelope() {
    this(Limits.defaults(), JpegMode.CV2_YUV);
  }

  /**
   * An envelope codec enforcing {@code limits}, reading bare strings in {@code bareMode}.
   *
   * @param limits the size limits to enforce
   * @param bareMode the mode given to bare payloads, which carry none
   */
  public JsonEnvelope(Limits limits, JpegMode bareMode) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.bareMode = Objects.requireNonNull(bareMode, "bareMode");
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxNesting())
            .maxDocumentLength(limits.maxDocumentBytes())
            .maxStringLength(maxStringLength(limits))
            .build())
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .build();
  }

  /**
   * Longest JSON string accepted: the base64 of the largest payload, plus an eighth for line
   * breaks (MIME-style wrapping adds 2 per 76) and whitespace, but never more than a document.
   */
  static int maxStringLength(Limits limits) {
    long base64 = 4L * ((limits.maxPayloadBytes() + 2L) / 3);
    long withRoom = base64 + base64 / 8 + 1024;
    return (int) Math.min(Math.min(withRoom, limits.maxDocumentBytes()), Integer.MAX_VALUE - 8);
  }

  /** {@return the limits the reader enforces} */
  public Limits limits() {
    return limits;
  }

  /** {@return the mode given to bare payloads, which carry none} */
  public JpegMode bareMode() {
    return bareMode;
  }

  // ---------------------------------------------------------------- writing

  /**
   * {@return one frame as a JSON envelope, UTF-8}
   *
   * @param frame the frame
   */
  public byte[] toBytes(EncodedFrame frame) {
    Objects.requireNonNull(frame, "frame");
    ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(List.of(frame)));
    write(frame, out);
    return out.toByteArray();
  }

  /**
   * {@return a batch envelope {@code {"frames": [...]}}, UTF-8}
   *
   * @param frames the frames, in order
   */
  public byte[] batchToBytes(List<EncodedFrame> frames) {
    Objects.requireNonNull(frames, "frames");
    ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(frames));
    writeBatch(frames, out);
    return out.toByteArray();
  }

  /**
   * Writes one frame's envelope to a stream, which is flushed but not closed.
   *
   * @param frame the frame
   * @param out where to write; not closed
   */
  public void write(EncodedFrame frame, OutputStream out) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(out, "out");
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      writeFrame(g, frame, new byte[Base64Codec.encodedLength(frame.payloadLength())]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JSON envelope", e);
    }
  }

  /**
   * Writes a batch envelope to a stream, which is flushed but not closed.
   *
   * @param frames the frames, in order
   * @param out where to write; not closed
   */
  public void writeBatch(List<EncodedFrame> frames, OutputStream out) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(out, "out");
    int largest = 0;
    for (EncodedFrame f : frames) {
      largest = Math.max(largest, f.payloadLength());
    }
    byte[] scratch = new byte[Base64Codec.encodedLength(largest)];
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeArrayFieldStart(FRAMES);
      for (EncodedFrame f : frames) {
        writeFrame(g, f, scratch);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JSON batch", e);
    }
  }

  private static void writeFrame(JsonGenerator g, EncodedFrame f, byte[] scratch) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart(SHAPE);
    g.writeNumber(f.height());
    g.writeNumber(f.width());
    g.writeNumber(f.channels());
    g.writeEndArray();
    g.writeStringField(MODE, f.mode().wireName());
    if (f.quality().isPresent()) {
      g.writeNumberField(QUALITY, f.quality().getAsInt());
    }
    if (f.timestampMicros().isPresent()) {
      g.writeNumberField(TIMESTAMP, f.timestampMicros().getAsLong());
    }
    if (f.streamId().isPresent()) {
      g.writeStringField(STREAM, f.streamId().get());
    }
    if (f.frameNumber().isPresent()) {
      g.writeNumberField(FRAME, f.frameNumber().getAsLong());
    }
    g.writeFieldName(DATA);
    int n = Base64Codec.encode(f.payloadArray(), f.payloadOffset(), f.payloadLength(), scratch, 0);
    // Base64 needs no escaping: the generator copies the bytes between quotes as they are.
    g.writeRawUTF8String(scratch, 0, n);
    g.writeEndObject();
  }

  private static int estimate(List<EncodedFrame> frames) {
    long n = 16;
    for (EncodedFrame f : frames) {
      n += 160 + 4L * ((f.payloadLength() + 2L) / 3);
    }
    return (int) Math.min(n, Integer.MAX_VALUE - 8);
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads a whole-array JSON message: an envelope, a batch or a bare base64 string.
   *
   * @param json the JSON message
   * @return the frames, in document order
   */
  public List<EncodedFrame> read(byte[] json) {
    Objects.requireNonNull(json, "json");
    return read(json, 0, json.length);
  }

  /**
   * Reads the JSON message in {@code json[offset, offset+length)} (UTF-8).
   *
   * @param json the JSON message
   * @param offset index of the first byte
   * @param length number of bytes
   * @return the frames, in document order
   */
  public List<EncodedFrame> read(byte[] json, int offset, int length) {
    Objects.requireNonNull(json, "json");
    Objects.checkFromIndexSize(offset, length, json.length);
    limits.checkDocumentBytes(length);
    try (JsonParser p = factory.createParser(json, offset, length)) {
      return parse(p);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /**
   * Reads a JSON message from a stream up to its end; the stream is not closed.
   *
   * @param in the stream to read; not closed
   * @return the frames, in document order
   */
  public List<EncodedFrame> read(InputStream in) {
    Objects.requireNonNull(in, "in");
    // Jackson checks the document length only when it refills its buffer; count every byte.
    try (JsonParser p = factory.createParser(WireSupport.limited(in, limits.maxDocumentBytes()))) {
      return parse(p);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /**
   * Reads a JSON message held as text.
   *
   * @param json the JSON message
   * @return the frames, in document order
   */
  public List<EncodedFrame> read(CharSequence json) {
    Objects.requireNonNull(json, "json");
    limits.checkDocumentBytes(json.length());
    try (JsonParser p = factory.createParser(json.toString())) {
      return parse(p);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private RuntimeException translate(IOException e) {
    if (e instanceof StreamConstraintsException c) {
      PayloadTooLargeException t = new PayloadTooLargeException("JSON exceeds a limit: " + c.getOriginalMessage());
      t.initCause(e);
      return t;
    }
    if (e instanceof CharConversionException) {
      // Jackson guesses UTF-16 or UTF-32 from zero bytes at the start of a byte source, and its
      // decoders then report bad characters as this plain IOException: damage, not I/O failure.
      return new CorruptPayloadException("malformed JSON: " + e.getMessage(), e);
    }
    if (e instanceof JsonProcessingException j) {
      JsonLocation l = j.getLocation();
      return new CorruptPayloadException("malformed JSON: " + j.getOriginalMessage()
          + (l != null ? " (" + l.offsetDescription() + ")" : ""), e);
    }
    return new UncheckedIOException("cannot read the JSON message", e);
  }

  private List<EncodedFrame> parse(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new CorruptPayloadException("empty JSON document: expected an object or a base64 string");
    }
    List<EncodedFrame> frames;
    if (t == JsonToken.VALUE_STRING) {
      byte[] payload = decodeData(p, "the JSON string");
      frames = List.of(WireSupport.bareFrame(payload, 0, payload.length, bareMode, limits));
    } else if (t == JsonToken.START_OBJECT) {
      frames = parseTop(p);
    } else {
      throw new CorruptPayloadException(
          "a JSON message must be an object or a base64 string, got " + describe(p, t));
    }
    JsonToken extra = p.nextToken();
    if (extra != null) {
      throw new CorruptPayloadException("unexpected " + describe(p, extra) + " after the JSON message ("
          + p.currentTokenLocation().offsetDescription() + ")");
    }
    return frames;
  }

  private List<EncodedFrame> parseTop(JsonParser p) throws IOException {
    Fields top = new Fields("envelope");
    List<EncodedFrame> batch = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (FRAMES.equals(name)) {
        if (batch != null) {
          throw new CorruptPayloadException("envelope has the field 'frames' twice");
        }
        batch = parseFrames(p, value);
      } else {
        top.accept(name, p, value);
      }
    }
    if (batch != null) {
      if (top.seen != 0) {
        throw new CorruptPayloadException(
            "envelope has 'frames' and also frame fields; a batch keeps them inside 'frames'");
      }
      return batch;
    }
    return List.of(top.build());
  }

  private List<EncodedFrame> parseFrames(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new CorruptPayloadException("'frames' must be an array of frame objects, got " + describe(p, t));
    }
    List<EncodedFrame> frames = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      int index = frames.size();
      limits.checkFrameCount(index + 1L);
      if (e != JsonToken.START_OBJECT) {
        throw new CorruptPayloadException("frames[" + index + "] must be an object, got " + describe(p, e));
      }
      Fields f = new Fields("frames[" + index + "]");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        f.accept(name, p, p.nextToken());
      }
      frames.add(f.build());
    }
    return frames;
  }

  private byte[] decodeData(JsonParser p, String what) throws IOException {
    // Jackson checks string lengths at buffer boundaries only; check the whole string here.
    int max = maxStringLength(limits);
    if (p.getTextLength() > max) {
      throw new PayloadTooLargeException(what + " is a string of " + p.getTextLength()
          + " characters; more than " + max + " (the base64 of " + limits.maxPayloadBytes()
          + " bytes with room for line breaks) are refused");
    }
    try {
      return Base64Codec.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(),
          limits.maxPayloadBytes());
    } catch (FrameFormatException e) {
      throw WireSupport.withContext(e, what);
    }
  }

  private static String describe(JsonParser p, JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + textOf(p);
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static String textOf(JsonParser p) {
    try {
      return p.getText();
    } catch (IOException e) {
      return "?";
    }
  }

  /** The fields of one frame object as they arrive, in any order. */
  private final class Fields {
    private static final int SHAPE_BIT = 1;
    private static final int MODE_BIT = 2;
    private static final int QUALITY_BIT = 4;
    private static final int TIMESTAMP_BIT = 8;
    private static final int STREAM_BIT = 16;
    private static final int DATA_BIT = 32;
    private static final int FRAME_BIT = 64;

    private final String where;
    private int seen;
    private int height;
    private int width;
    private int channels;
    private JpegMode mode;
    private int quality;
    private boolean hasTimestamp;
    private long timestamp;
    private String stream;
    private long frameNumber = -1;
    private byte[] data;

    Fields(String where) {
      this.where = where;
    }

    void accept(String name, JsonParser p, JsonToken t) throws IOException {
      int bit = switch (name) {
        case SHAPE -> SHAPE_BIT;
        case MODE -> MODE_BIT;
        case QUALITY -> QUALITY_BIT;
        case TIMESTAMP -> TIMESTAMP_BIT;
        case STREAM -> STREAM_BIT;
        case DATA -> DATA_BIT;
        case FRAME -> FRAME_BIT;
        default -> 0;
      };
      if (bit == 0) {
        p.skipChildren(); // unknown fields are the sender's business
        return;
      }
      if ((seen & bit) != 0) {
        throw new CorruptPayloadException(where + " has the field '" + name + "' twice");
      }
      seen |= bit;
      switch (bit) {
        case SHAPE_BIT -> shape(p, t);
        case MODE_BIT -> {
          String m = string(p, t, MODE, false);
          try {
            mode = JpegMode.fromWireName(m);
          } catch (IllegalArgumentException e) {
            throw new UnsupportedPayloadException(where + " has mode '" + m
                + "'; known modes are cv2-yuv, ycbcr and gray");
          }
        }
        case QUALITY_BIT -> {
          if (t != JsonToken.VALUE_NULL) {
            long q = integer(p, t, QUALITY);
            if (q < 1 || q > 100) {
              throw new CorruptPayloadException(where + " has quality " + p.getText() + "; it must be 1..100");
            }
            quality = (int) q;
          }
        }
        case TIMESTAMP_BIT -> {
          if (t != JsonToken.VALUE_NULL) {
            timestamp = integer(p, t, TIMESTAMP);
            hasTimestamp = true;
          }
        }
        case STREAM_BIT -> {
          stream = string(p, t, STREAM, true);
          // Cheap test on characters first: each is at least one UTF-8 byte.
          if (stream != null && (stream.length() > EncodedFrame.MAX_STREAM_ID_BYTES
              || stream.getBytes(StandardCharsets.UTF_8).length > EncodedFrame.MAX_STREAM_ID_BYTES)) {
            throw new PayloadTooLargeException(where + " has a stream id of more than "
                + EncodedFrame.MAX_STREAM_ID_BYTES + " UTF-8 bytes");
          }
        }
        case FRAME_BIT -> {
          if (t != JsonToken.VALUE_NULL) {
            frameNumber = integer(p, t, FRAME);
            if (frameNumber < 0) {
              throw new CorruptPayloadException(where + " has frame number " + frameNumber
                  + "; it must be 0 or more");
            }
          }
        }
        default -> {
          if (t != JsonToken.VALUE_STRING) {
            throw new CorruptPayloadException(where + " field 'data' must be a base64 string, got "
                + describe(p, t));
          }
          data = decodeData(p, where + " field 'data'");
        }
      }
    }

    private void shape(JsonParser p, JsonToken t) throws IOException {
      if (t != JsonToken.START_ARRAY) {
        throw new CorruptPayloadException(where + " field 'shape' must be an array "
            + "[height, width, channels], got " + describe(p, t));
      }
      long[] dims = new long[3];
      int n = 0;
      JsonToken e;
      while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
        if (n == 3) {
          throw new CorruptPayloadException(where + " field 'shape' has more than 3 entries; "
              + "expected [height, width, channels] or [height, width]");
        }
        if (e != JsonToken.VALUE_NUMBER_INT) {
          throw new CorruptPayloadException(where + " field 'shape' must hold positive integers, got "
              + describe(p, e));
        }
        if (p.getNumberType() != JsonParser.NumberType.INT) {
          if (p.getBigIntegerValue().signum() > 0) {
            throw new PayloadTooLargeException(where + " field 'shape' has the dimension "
                + p.getText() + ", over the limit of " + limits.maxPixels() + " pixels");
          }
          throw new CorruptPayloadException(where + " field 'shape' must hold positive integers, got "
              + p.getText());
        }
        int d = p.getIntValue();
        if (d <= 0) {
          throw new CorruptPayloadException(where + " field 'shape' must hold positive integers, got " + d);
        }
        dims[n++] = d;
      }
      if (n < 2) {
        throw new CorruptPayloadException(where + " field 'shape' has " + n
            + " entries; expected [height, width, channels] or [height, width]");
      }
      channels = n == 3 ? (int) dims[2] : 1;
      if (channels != 1 && channels != 3) {
        throw new UnsupportedPayloadException(where + " field 'shape' declares " + channels
            + " channels; 1 or 3 are supported");
      }
      height = (int) dims[0];
      width = (int) dims[1];
      try {
        limits.checkPixels(width, height);
      } catch (FrameFormatException tooLarge) {
        throw WireSupport.withContext(tooLarge, where);
      }
    }

    private String string(JsonParser p, JsonToken t, String field, boolean nullable) throws IOException {
      if (t == JsonToken.VALUE_STRING) {
        return p.getText();
      }
      if (nullable && t == JsonToken.VALUE_NULL) {
        return null;
      }
      throw new CorruptPayloadException(where + " field '" + field + "' must be a string, got " + describe(p, t));
    }

    private long integer(JsonParser p, JsonToken t, String field) throws IOException {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw new CorruptPayloadException(where + " field '" + field + "' must be an integer, got " + describe(p, t));
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new CorruptPayloadException(where + " field '" + field + "' is " + p.getText()
            + ", which does not fit in a signed 64-bit integer");
      }
      return p.getLongValue();
    }

    EncodedFrame build() {
      String missing = (seen & SHAPE_BIT) == 0 ? SHAPE : (seen & MODE_BIT) == 0 ? MODE
          : (seen & DATA_BIT) == 0 ? DATA : null;
      if (missing != null) {
        throw new CorruptPayloadException(where + " has no '" + missing + "' field; "
            + "a frame needs shape, mode and data");
      }
      if (data.length == 0) {
        throw new CorruptPayloadException(where + " field 'data' decodes to an empty payload");
      }
      EncodedFrame.Builder b = EncodedFrame.builder().payload(data).size(width, height)
          .channels(channels).mode(mode);
      if (quality != 0) {
        b.quality(quality);
      }
      if (hasTimestamp) {
        b.timestampMicros(timestamp);
      }
      if (frameNumber >= 0) {
        b.frameNumber(frameNumber);
      }
      try {
        return b.streamId(stream).build();
      } catch (IllegalArgumentException e) {
        // Only the stream id can still be wrong here: a lone surrogate from a JSON escape.
        throw new CorruptPayloadException(where + ": " + e.getMessage(), e);
      }
    }
  }
}
