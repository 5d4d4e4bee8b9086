package org.framecodec.oip;

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
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;

/**
 * The REST (HTTP/JSON) encoding of the Open Inference Protocol, with the binary tensor data
 * extension: inference requests and responses, model metadata and error bodies, to and from
 * bytes. No I/O: the HTTP layer hands over a body and the {@code Inference-Header-Content-Length}
 * header, and sends what comes back.
 *
 * <p><b>Layout</b> ({@link RestBody}): a JSON object, then the binary data of every tensor whose
 * {@code parameters} has {@code binary_data_size}, in the order of {@code inputs} (or {@code
 * outputs}), back to back. The JSON is {@code Inference-Header-Content-Length} bytes; without that
 * header the whole body is JSON and no tensor may be binary. Tensor data travels either as
 * {@code "data": [...]} in the JSON (nested or flat, see {@link JsonTensorData}) or in the binary
 * tail; every datatype's binary form is little-endian, row-major, without padding, a BYTES element
 * being a 4-byte little-endian length and then its bytes (see {@link InferTensor}).
 *
 * <p><b>Reading untrusted bodies.</b> Every length is checked before anything of that size is
 * allocated: the body against {@link Limits#maxDocumentBytes()}; the header length against the
 * body; each {@code binary_data_size} against what is left, and their sum against the body
 * exactly; each tensor's data against its shape and datatype; each BYTES element against the
 * tensor's data and {@link Limits#maxPayloadBytes()}; element counts of BYTES tensors against
 * {@link Limits#maxFramesPerBatch()}; JSON nesting against {@link Limits#maxNesting()}. Failures
 * are the {@link FrameFormatException} family, with the tensor and the values in the message:
 * {@link CorruptPayloadException} for a body that contradicts itself, {@link
 * PayloadTooLargeException} for one over a limit, {@link UnsupportedPayloadException} for an
 * unknown datatype or a raw binary body without a JSON header. Tensors read from a body view the
 * body's array (no copy) when binary, and own new arrays when they came as JSON.
 *
 * <p><b>Writing</b> puts fields in the specification's order ({@code model_name} only when the
 * request names the model, then {@code id}, {@code parameters}, {@code inputs}/{@code outputs};
 * per tensor {@code name}, {@code shape}, {@code datatype}, {@code parameters}, {@code data}) as
 * compact JSON, so the specification's examples come out as they are printed there, less
 * whitespace.
 *
 * <p>Immutable and thread-safe.
 */
public final class RestCodec {
  /** Most tensors (inputs or outputs) one message may have. */
  public static final int MAX_TENSORS = 64;
  /** Most parameters one parameters object may have. */
  public static final int MAX_PARAMETERS = 64;

  private static final String MODEL_NAME = "model_name";
  private static final String MODEL_VERSION = "model_version";
  private static final String ID = "id";
  private static final String PARAMETERS = "parameters";
  private static final String INPUTS = "inputs";
  private static final String OUTPUTS = "outputs";

  private final Limits limits;
  private final JsonFactory factory;

  /** A codec with {@link Limits#defaults()}. */
  public RestCodec() {
    this(Limits.defaults());
  }

  /**
   * A codec reading bodies under {@code limits}.
   *
   * @param limits the limits every length is checked against
   */
  public RestCodec(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    long base64 = 4L * ((limits.maxPayloadBytes() + 2L) / 3);
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxNesting())
            .maxDocumentLength(limits.maxDocumentBytes())
            .maxStringLength((int) Math.min(Math.min(base64 + 1024, limits.maxDocumentBytes()), Integer.MAX_VALUE - 8))
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .build();
  }

  /** {@return the limits bodies are read under} */
  public Limits limits() {
    return limits;
  }

  /**
   * Parses an {@code Inference-Header-Content-Length} value; null (no header) gives -1.
   *
   * @param value the header's value, or null
   * @return the length, or -1
   * @throws CorruptPayloadException when the value is not a non-negative decimal integer
   */
  public static long parseHeaderLength(String value) {
    if (value == null) {
      return -1;
    }
    String v = value.strip();
    boolean digits = !v.isEmpty() && v.length() <= 18;
    for (int i = 0; i < v.length() && digits; i++) {
      digits = v.charAt(i) >= '0' && v.charAt(i) <= '9';
    }
    if (!digits) {
      throw new CorruptPayloadException(RestBody.HEADER_LENGTH + " '" + Strings.excerpt(value)
          + "' is not a non-negative integer");
    }
    return Long.parseLong(v);
  }

  // ------------------------------------------------------------------ writing

  /**
   * The body of {@code request}: with {@code binary}, every input's data goes in the binary tail
   * (the extension); without, in the JSON, where BYTES elements are strings (see {@link
   * JsonTensorData}).
   *
   * @param request the request
   * @param binary true to put every input's data in the binary tail
   * @return the body
   * @throws IllegalArgumentException when a tensor cannot be written as asked (FP16, NaN or
   *     non-UTF-8 BYTES in JSON)
   */
  public RestBody writeRequest(InferRequest request, boolean binary) {
    Objects.requireNonNull(request, "request");
    ByteArrayBuilder json = new ByteArrayBuilder(1024);
    try (JsonGenerator g = factory.createGenerator(json)) {
      g.writeStartObject();
      if (!request.modelName().isEmpty()) {
        g.writeStringField(MODEL_NAME, request.modelName());
      }
      if (!request.modelVersion().isEmpty()) {
        g.writeStringField(MODEL_VERSION, request.modelVersion());
      }
      if (request.id().isPresent()) {
        g.writeStringField(ID, request.id().get());
      }
      writeParameters(g, request.parameters(), -1, false);
      g.writeArrayFieldStart(INPUTS);
      for (InferTensor t : request.inputs()) {
        writeTensor(g, t, binary);
      }
      g.writeEndArray();
      if (!request.outputs().isEmpty()) {
        g.writeArrayFieldStart(OUTPUTS);
        for (RequestedOutput o : request.outputs()) {
          g.writeStartObject();
          g.writeStringField("name", o.name());
          writeParameters(g, o.parameters(), -1, false);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return assemble(json, binary ? request.inputs() : List.of());
  }

  /**
   * The body of {@code response}; the outputs for which {@code binary} is true go in the binary
   * tail, the others as JSON data.
   *
   * @param response the response
   * @param binary which outputs go as binary data, by name
   * @return the body
   */
  public RestBody writeResponse(InferResponse response, Predicate<String> binary) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(binary, "binary");
    List<InferTensor> tail = new ArrayList<>();
    ByteArrayBuilder json = new ByteArrayBuilder(1024);
    try (JsonGenerator g = factory.createGenerator(json)) {
      g.writeStartObject();
      if (!response.modelName().isEmpty()) {
        g.writeStringField(MODEL_NAME, response.modelName());
      }
      if (!response.modelVersion().isEmpty()) {
        g.writeStringField(MODEL_VERSION, response.modelVersion());
      }
      if (response.id().isPresent()) {
        g.writeStringField(ID, response.id().get());
      }
      writeParameters(g, response.parameters(), -1, false);
      g.writeArrayFieldStart(OUTPUTS);
      for (InferTensor t : response.outputs()) {
        boolean b = binary.test(t.name());
        writeTensor(g, t, b);
        if (b) {
          tail.add(t);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return assemble(json, tail);
  }

  /**
   * The body of {@code response} as its request asks: per output {@code binary_data}, else the request's {@code binary_data_output}, else JSON.
   *
   * @param response the response
   * @param request the request
   * @return the body
   */
  public RestBody writeResponse(InferResponse response, InferRequest request) {
    return writeResponse(response, name -> request.wantsBinary(name, false));
  }

  private void writeTensor(JsonGenerator g, InferTensor t, boolean binary) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeArrayFieldStart("shape");
    for (long d : t.shape()) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeStringField("datatype", t.datatype().wireName());
    writeParameters(g, t.parameters(), binary ? t.dataLength() : -1, true);
    if (!binary) {
      JsonTensorData.write(g, t);
    }
    g.writeEndObject();
  }

  /**
   * Writes {@code params}; for a tensor ({@code tensor}), {@code binary_data_size} is ours to write,
   * from the data actually sent (or not at all), so a stale one in the map is left out. Elsewhere
   * it has no meaning and is written as given, so that what was read writes back unchanged.
   */
  private static void writeParameters(JsonGenerator g, Map<String, Object> params, long binarySize,
      boolean tensor) throws IOException {
    if (params.isEmpty() && binarySize < 0) {
      return;
    }
    g.writeObjectFieldStart(PARAMETERS);
    for (Map.Entry<String, Object> e : params.entrySet()) {
      if (tensor && e.getKey().equals(Parameters.BINARY_DATA_SIZE)) {
        continue;
      }
      g.writeFieldName(e.getKey());
      Object v = e.getValue();
      if (v instanceof String s) {
        g.writeString(s);
      } else if (v instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (v instanceof Long l) {
        g.writeNumber(l);
      } else {
        g.writeNumber((Double) v);
      }
    }
    if (binarySize >= 0) {
      g.writeNumberField(Parameters.BINARY_DATA_SIZE, binarySize);
    }
    g.writeEndObject();
  }

  private static RestBody assemble(ByteArrayBuilder json, List<InferTensor> tail) {
    if (tail.isEmpty()) {
      return new RestBody(json.toByteArray(), -1);
    }
    int jsonLength = json.size();
    long total = jsonLength;
    for (InferTensor t : tail) {
      total += t.dataLength();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a body of " + total + " bytes does not fit one array");
    }
    byte[] body = new byte[(int) total];
    byte[] head = json.toByteArray();
    System.arraycopy(head, 0, body, 0, jsonLength);
    int pos = jsonLength;
    for (InferTensor t : tail) {
      System.arraycopy(t.dataArray(), t.dataOffset(), body, pos, t.dataLength());
      pos += t.dataLength();
    }
    return new RestBody(body, jsonLength);
  }

  /**
   * The protocol's error body, {@code {"error": "message"}}.
   *
   * @param message the error text
   * @return the body
   */
  public byte[] writeError(String message) {
    ByteArrayBuilder out = new ByteArrayBuilder(64 + message.length());
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("error", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The model metadata object of {@code GET /v2/models/{name}}.
   *
   * @param m the metadata
   * @return the body
   */
  public byte[] writeModelMetadata(ModelMetadata m) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", m.name());
      if (!m.versions().isEmpty()) {
        g.writeArrayFieldStart("versions");
        for (String v : m.versions()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeStringField("platform", m.platform());
      writeMetadataTensors(g, INPUTS, m.inputs());
      writeMetadataTensors(g, OUTPUTS, m.outputs());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeMetadataTensors(JsonGenerator g, String field, List<TensorMetadata> ts) throws IOException {
    g.writeArrayFieldStart(field);
    for (TensorMetadata t : ts) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      g.writeStringField("datatype", t.datatype().wireName());
      g.writeArrayFieldStart("shape");
      for (long d : t.shape()) {
        g.writeNumber(d);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * The server metadata object of {@code GET /v2}.
   *
   * @param name the model name
   * @param version the server version
   * @param extensions the extensions it implements
   * @return the body
   */
  public byte[] writeServerMetadata(String name, String version, List<String> extensions) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeStringField("version", version);
      g.writeArrayFieldStart("extensions");
      for (String e : extensions) {
        g.writeString(e);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads a request body.
   *
   * @param headerLength the {@code Inference-Header-Content-Length}, or -1 when absent
   * @param body the body's array
   * @param offset where the body starts
   * @param length bytes of body
   * @return the request
   * @throws org.framecodec.FrameFormatException as described in the class comment
   */
  public InferRequest readRequest(byte[] body, int offset, int length, long headerLength) {
    Message m = readMessage(body, offset, length, headerLength, true);
    InferRequest.Builder b = InferRequest.builder(m.modelName).version(m.modelVersion).id(m.id)
        .parameters(m.parameters);
    for (InferTensor t : m.tensors) {
      b.input(t);
    }
    for (RequestedOutput o : m.requested) {
      b.output(o);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CorruptPayloadException(e.getMessage());
    }
  }

  /**
   * Reads a whole-array request body; {@code headerLength} as in {@link #readRequest(byte[], int, int, long)}.
   *
   * @param body the body's array
   * @param headerLength the {@code Inference-Header-Content-Length}, or -1 when absent
   * @return the request
   */
  public InferRequest readRequest(byte[] body, long headerLength) {
    return readRequest(body, 0, body.length, headerLength);
  }

  /**
   * Reads a response body.
   *
   * @param headerLength the {@code Inference-Header-Content-Length}, or -1 when absent
   * @param body the body's array
   * @param offset where the body starts
   * @param length bytes of body
   * @return the response
   * @throws org.framecodec.FrameFormatException as described in the class comment
   */
  public InferResponse readResponse(byte[] body, int offset, int length, long headerLength) {
    Message m = readMessage(body, offset, length, headerLength, false);
    InferResponse.Builder b = InferResponse.builder(m.modelName).version(m.modelVersion).id(m.id)
        .parameters(m.parameters);
    for (InferTensor t : m.tensors) {
      b.output(t);
    }
    return b.build();
  }

  /**
   * Reads a whole-array response body.
   *
   * @param body the body's array
   * @param headerLength the {@code Inference-Header-Content-Length}, or -1 when absent
   * @return the response
   */
  public InferResponse readResponse(byte[] body, long headerLength) {
    return readResponse(body, 0, body.length, headerLength);
  }

  /**
   * The message of an error body {@code {"error": "..."}}, or null when the body is not one
   * (servers behind proxies answer errors with HTML too).
   *
   * @param body the body's array
   * @param offset where the body starts
   * @param length bytes of body
   * @return the message, or null
   */
  public String readError(byte[] body, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, body.length);
    try (JsonParser p = factory.createParser(body, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String error = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("error") && v == JsonToken.VALUE_STRING) {
          error = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return error;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads model metadata, as {@code GET /v2/models/{name}} returns it.
   *
   * @param body the body's array
   * @param offset where the body starts
   * @param length bytes of body
   * @return the metadata
   */
  public ModelMetadata readModelMetadata(byte[] body, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, body.length);
    limits.checkDocumentBytes(length);
    try (JsonParser p = factory.createParser(body, offset, length)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "the model metadata");
      String name = null;
      String platform = "";
      List<String> versions = List.of();
      List<TensorMetadata> inputs = List.of();
      List<TensorMetadata> outputs = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "name" -> name = string(p, v, "metadata 'name'");
          case "platform" -> platform = string(p, v, "metadata 'platform'");
          case "versions" -> {
            expect(p, v, JsonToken.START_ARRAY, "metadata 'versions'");
            List<String> vs = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              checkCount(vs.size(), MAX_TENSORS, "metadata 'versions'");
              vs.add(string(p, p.currentToken(), "metadata version"));
            }
            versions = vs;
          }
          case INPUTS -> inputs = readMetadataTensors(p, v, "metadata 'inputs'");
          case OUTPUTS -> outputs = readMetadataTensors(p, v, "metadata 'outputs'");
          default -> p.skipChildren();
        }
      }
      endOfDocument(p);
      if (name == null) {
        throw new CorruptPayloadException("the model metadata has no 'name'");
      }
      return new ModelMetadata(name, versions, platform, inputs, outputs);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private List<TensorMetadata> readMetadataTensors(JsonParser p, JsonToken v, String where) throws IOException {
    expect(p, v, JsonToken.START_ARRAY, where);
    List<TensorMetadata> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      checkCount(out.size(), MAX_TENSORS, where);
      String at = where + "[" + out.size() + "]";
      expect(p, p.currentToken(), JsonToken.START_OBJECT, at);
      String name = null;
      Datatype type = null;
      long[] shape = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "name" -> name = string(p, t, at + " 'name'");
          case "datatype" -> type = Datatype.fromWireName(string(p, t, at + " 'datatype'"));
          case "shape" -> shape = readShape(p, t, at, true);
          default -> p.skipChildren();
        }
      }
      if (name == null || type == null || shape == null) {
        throw new CorruptPayloadException(at + " lacks " + (name == null ? "'name'" : type == null ? "'datatype'" : "'shape'"));
      }
      out.add(new TensorMetadata(name, type, shape));
    }
    return out;
  }

  /** What request and response bodies share: one JSON object with tensors, then binary data. */
  private static final class Message {
    String modelName = "";
    String modelVersion = "";
    String id;
    Map<String, Object> parameters = Map.of();
    List<InferTensor> tensors = List.of();
    List<RequestedOutput> requested = List.of();
  }

  /** A tensor as read from the JSON, before its data is attached. */
  private static final class PendingTensor {
    String where;
    String name;
    Datatype type;
    long[] shape;
    Map<String, Object> parameters = Map.of();
    long binarySize = -1;
    int dataStart = -1;
    int dataEnd = -1;
  }

  private Message readMessage(byte[] body, int offset, int length, long headerLength, boolean request) {
    Objects.requireNonNull(body, "body");
    Objects.checkFromIndexSize(offset, length, body.length);
    limits.checkDocumentBytes(length);
    if (headerLength == 0) {
      throw new UnsupportedPayloadException(RestBody.HEADER_LENGTH + " is 0: a raw binary body without"
          + " a JSON inference header is not supported; send the JSON header first");
    }
    if (headerLength > length) {
      throw new CorruptPayloadException(RestBody.HEADER_LENGTH + " " + headerLength
          + " is larger than the body of " + length + " bytes");
    }
    int jsonLength = headerLength < 0 ? length : (int) headerLength;
    String kind = request ? "request" : "response";
    Message m = new Message();
    List<PendingTensor> pending;
    try (JsonParser p = factory.createParser(body, offset, jsonLength)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new CorruptPayloadException("the " + kind + " body has no JSON");
      }
      expect(p, first, JsonToken.START_OBJECT, "the inference " + kind);
      pending = null;
      List<RequestedOutput> requested = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case MODEL_NAME -> m.modelName = string(p, v, "'" + MODEL_NAME + "'");
          case MODEL_VERSION -> m.modelVersion = string(p, v, "'" + MODEL_VERSION + "'");
          case ID -> m.id = string(p, v, "'id'");
          case PARAMETERS -> m.parameters = readParameters(p, v, "the " + kind + "'s parameters");
          default -> {
            if (field.equals(request ? INPUTS : OUTPUTS)) {
              pending = readTensors(p, v, request ? "input" : "output");
            } else if (request && field.equals(OUTPUTS)) {
              requested = readRequested(p, v);
            } else {
              p.skipChildren();
            }
          }
        }
      }
      endOfDocument(p);
      if (pending == null) {
        throw new CorruptPayloadException("the inference " + kind + " has no '" + (request ? INPUTS : OUTPUTS) + "'");
      }
      m.requested = requested;
    } catch (IOException e) {
      throw translate(e);
    }
    m.tensors = attachData(body, offset, length, headerLength, jsonLength, pending);
    return m;
  }

  private List<PendingTensor> readTensors(JsonParser p, JsonToken v, String kind) throws IOException {
    expect(p, v, JsonToken.START_ARRAY, "'" + kind + "s'");
    List<PendingTensor> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      checkCount(out.size(), MAX_TENSORS, "'" + kind + "s'");
      PendingTensor t = new PendingTensor();
      t.where = kind + " " + out.size();
      expect(p, p.currentToken(), JsonToken.START_OBJECT, t.where);
      String typeName = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken tok = p.nextToken();
        switch (field) {
          case "name" -> {
            t.name = string(p, tok, t.where + " 'name'");
            t.where = kind + " '" + Strings.excerpt(t.name) + "'";
          }
          case "shape" -> t.shape = readShape(p, tok, t.where, false);
          case "datatype" -> typeName = string(p, tok, t.where + " 'datatype'");
          case PARAMETERS -> {
            Map<String, Object> params = readParameters(p, tok, t.where + " parameters");
            Object size = params.get(Parameters.BINARY_DATA_SIZE);
            if (size != null) {
              if (!(size instanceof Long l) || l < 0) {
                throw new CorruptPayloadException(t.where + " binary_data_size must be a non-negative integer, got " + size);
              }
              t.binarySize = l;
              params = Parameters.without(params, Parameters.BINARY_DATA_SIZE);
            }
            t.parameters = params;
          }
          case "data" -> {
            t.dataStart = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            t.dataEnd = (int) p.currentLocation().getByteOffset();
          }
          default -> p.skipChildren();
        }
      }
      if (t.name == null) {
        throw new CorruptPayloadException(t.where + " has no 'name'");
      }
      if (t.shape == null) {
        throw new CorruptPayloadException(t.where + " has no 'shape'");
      }
      if (typeName == null) {
        throw new CorruptPayloadException(t.where + " has no 'datatype'");
      }
      try {
        t.type = Datatype.fromWireName(typeName);
      } catch (UnsupportedPayloadException e) {
        throw new UnsupportedPayloadException(t.where + ": " + e.getMessage());
      }
      if (t.binarySize >= 0 && t.dataStart >= 0) {
        throw new CorruptPayloadException(t.where + " has both 'data' and binary_data_size; give one");
      }
      if (t.binarySize < 0 && t.dataStart < 0) {
        throw new CorruptPayloadException(t.where + " has neither 'data' nor binary_data_size");
      }
      out.add(t);
    }
    return out;
  }

  private List<RequestedOutput> readRequested(JsonParser p, JsonToken v) throws IOException {
    expect(p, v, JsonToken.START_ARRAY, "'outputs'");
    List<RequestedOutput> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      checkCount(out.size(), MAX_TENSORS, "'outputs'");
      String where = "requested output " + out.size();
      expect(p, p.currentToken(), JsonToken.START_OBJECT, where);
      String name = null;
      Map<String, Object> params = Map.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken tok = p.nextToken();
        switch (field) {
          case "name" -> name = string(p, tok, where + " 'name'");
          case PARAMETERS -> params = readParameters(p, tok, where + " parameters");
          default -> p.skipChildren();
        }
      }
      if (name == null || name.isEmpty() || name.length() > InferTensor.MAX_NAME_LENGTH) {
        throw new CorruptPayloadException(where + " needs a 'name' of 1.." + InferTensor.MAX_NAME_LENGTH + " characters");
      }
      out.add(new RequestedOutput(name, params));
    }
    return out;
  }

  private List<InferTensor> attachData(byte[] body, int offset, int length, long headerLength, int jsonLength,
      List<PendingTensor> pending) {
    long binaryTotal = 0;
    for (PendingTensor t : pending) {
      if (t.binarySize >= 0) {
        if (headerLength < 0) {
          throw new CorruptPayloadException(t.where + " has binary_data_size " + t.binarySize + ", but the body has no "
              + RestBody.HEADER_LENGTH + ": without it the whole body is JSON");
        }
        binaryTotal += t.binarySize; // each is at most the body length, so the sum cannot overflow
        if (t.binarySize > length || binaryTotal > length - jsonLength) {
          throw new CorruptPayloadException("binary_data_size of " + t.where + " (" + t.binarySize
              + ") runs past the end of the body: " + (length - jsonLength) + " bytes follow the JSON header"
              + " and the tensors before it take " + (binaryTotal - t.binarySize));
        }
      }
    }
    if (headerLength >= 0 && binaryTotal != length - jsonLength) {
      throw new CorruptPayloadException("the binary_data_size values add up to " + binaryTotal + " bytes, but "
          + (length - jsonLength) + " bytes follow the JSON header (" + RestBody.HEADER_LENGTH + " "
          + headerLength + ", body " + length + ")");
    }
    List<InferTensor> out = new ArrayList<>(pending.size());
    int pos = offset + jsonLength;
    for (PendingTensor t : pending) {
      if (t.binarySize >= 0) {
        int n = (int) t.binarySize;
        out.add(InferTensor.parsed(t.name, t.type, t.shape, t.parameters, body, pos, n, limits));
        pos += n;
      } else {
        byte[] data = readJsonData(body, offset, t);
        out.add(InferTensor.parsed(t.name, t.type, t.shape, t.parameters, data, 0, data.length, limits));
      }
    }
    return out;
  }

  private byte[] readJsonData(byte[] body, int offset, PendingTensor t) {
    long count = 1;
    for (long d : t.shape) {
      count = d == 0 ? 0 : count > Long.MAX_VALUE / 4 / Math.max(d, 1) ? Long.MAX_VALUE / 4 : count * d;
    }
    int span = t.dataEnd - t.dataStart;
    try (JsonParser p = factory.createParser(body, offset + t.dataStart, span)) {
      p.nextToken();
      return JsonTensorData.read(p, t.where, t.type, count, JsonTensorData.base64(t.parameters), span, limits);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private long[] readShape(JsonParser p, JsonToken v, String where, boolean variable) throws IOException {
    expect(p, v, JsonToken.START_ARRAY, where + " 'shape'");
    long[] dims = new long[4];
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (n == InferTensor.MAX_RANK) {
        throw new CorruptPayloadException(where + " 'shape' has more than " + InferTensor.MAX_RANK + " dimensions");
      }
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new CorruptPayloadException(where + " 'shape' must hold integers, got " + p.getText());
      }
      long d = p.getLongValue();
      if (d < (variable ? -1 : 0)) {
        throw new CorruptPayloadException(where + " 'shape' has the dimension " + d);
      }
      if (n == dims.length) {
        dims = java.util.Arrays.copyOf(dims, InferTensor.MAX_RANK);
      }
      dims[n++] = d;
    }
    return java.util.Arrays.copyOf(dims, n);
  }

  private Map<String, Object> readParameters(JsonParser p, JsonToken v, String where) throws IOException {
    expect(p, v, JsonToken.START_OBJECT, where);
    Map<String, Object> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      checkCount(out.size(), MAX_PARAMETERS, where);
      String key = p.currentName();
      JsonToken t = p.nextToken();
      Object value = switch (t) {
        case VALUE_STRING -> p.getText();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NUMBER_INT -> {
          if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new CorruptPayloadException(where + " '" + Strings.excerpt(key) + "' is out of range: " + p.getText());
          }
          yield p.getLongValue();
        }
        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
        default -> throw new CorruptPayloadException(where + " '" + Strings.excerpt(key)
            + "' must be a string, number or boolean, got " + t);
      };
      out.put(key, value);
    }
    return Parameters.copy(out);
  }

  private static String string(JsonParser p, JsonToken t, String where) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new CorruptPayloadException(where + " must be a string, got " + t);
    }
    return p.getText();
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String where) {
    if (actual != expected) {
      throw new CorruptPayloadException(where + " must be " + (expected == JsonToken.START_OBJECT ? "an object"
          : expected == JsonToken.START_ARRAY ? "an array" : expected.name()) + ", got "
          + (actual == null ? "the end of the JSON" : actual.name()));
    }
  }

  private static void checkCount(int have, int max, String where) {
    if (have >= max) {
      throw new PayloadTooLargeException(where + " has more than " + max + " entries");
    }
  }

  private static void endOfDocument(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new CorruptPayloadException("the JSON is truncated");
    }
    JsonToken after = p.nextToken();
    if (after != null) {
      throw new CorruptPayloadException("unexpected " + after + " after the JSON object"
          + " (is " + RestBody.HEADER_LENGTH + " missing or too large?)");
    }
  }

  private static RuntimeException translate(IOException e) {
    if (e instanceof StreamConstraintsException c) {
      PayloadTooLargeException t = new PayloadTooLargeException("JSON exceeds a limit: " + c.getOriginalMessage());
      t.initCause(e);
      return t;
    }
    if (e instanceof CharConversionException) {
      return new CorruptPayloadException("malformed JSON: " + e.getMessage(), e);
    }
    if (e instanceof JsonProcessingException j) {
      JsonLocation l = j.getLocation();
      return new CorruptPayloadException("malformed JSON: " + j.getOriginalMessage()
          + (l != null ? " (" + l.offsetDescription() + ")" : ""), e);
    }
    return new UncheckedIOException("cannot read the JSON", e);
  }
}
