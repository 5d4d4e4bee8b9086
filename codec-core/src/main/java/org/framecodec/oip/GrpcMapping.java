package org.framecodec.oip;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.oip.proto.InferParameter;
import org.framecodec.oip.proto.InferTensorContents;
import org.framecodec.oip.proto.ModelInferRequest;
import org.framecodec.oip.proto.ModelInferResponse;
import org.framecodec.oip.proto.ModelMetadataResponse;

/**
 * Between the protocol's gRPC messages and this package's types. Tensor data goes out in {@code
 * raw_input_contents} / {@code raw_output_contents} (the binary layout, BYTES elements
 * length-prefixed), wrapping the tensors' arrays without a copy. Coming in, both the raw form and
 * the typed {@code contents} form are read, with the checks of {@link RestCodec}: one raw entry
 * per tensor and then no typed contents, data that matches each shape and datatype, BYTES
 * elements inside their tensor, {@link Limits}. Failures are the {@link
 * org.framecodec.FrameFormatException} family. Stateless and thread-safe.
 */
final class GrpcMapping {
  private GrpcMapping() {}

  // ------------------------------------------------------------------ out

  static ModelInferRequest toProto(InferRequest r) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder()
        .setModelName(r.modelName()).setModelVersion(r.modelVersion())
        .putAllParameters(toProto(r.parameters()));
    r.id().ifPresent(b::setId);
    for (InferTensor t : r.inputs()) {
      b.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
          .setName(t.name()).setDatatype(t.datatype().wireName()).addAllShape(boxed(t.shape()))
          .putAllParameters(toProto(t.parameters())));
      b.addRawInputContents(wrap(t));
    }
    for (RequestedOutput o : r.outputs()) {
      b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
          .setName(o.name()).putAllParameters(toProto(o.parameters())));
    }
    return b.build();
  }

  static ModelInferResponse toProto(InferResponse r) {
    ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
        .setModelName(r.modelName()).setModelVersion(r.modelVersion())
        .putAllParameters(toProto(r.parameters()));
    r.id().ifPresent(b::setId);
    for (InferTensor t : r.outputs()) {
      b.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
          .setName(t.name()).setDatatype(t.datatype().wireName()).addAllShape(boxed(t.shape()))
          .putAllParameters(toProto(t.parameters())));
      b.addRawOutputContents(wrap(t));
    }
    return b.build();
  }

  static ModelMetadataResponse toProto(ModelMetadata m) {
    ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
        .setName(m.name()).addAllVersions(m.versions()).setPlatform(m.platform());
    for (TensorMetadata t : m.inputs()) {
      b.addInputs(toProto(t));
    }
    for (TensorMetadata t : m.outputs()) {
      b.addOutputs(toProto(t));
    }
    return b.build();
  }

  private static ModelMetadataResponse.TensorMetadata toProto(TensorMetadata t) {
    return ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name())
        .setDatatype(t.datatype().wireName()).addAllShape(boxed(t.shape())).build();
  }

  static ModelMetadata fromProto(ModelMetadataResponse m) {
    List<TensorMetadata> in = new ArrayList<>();
    List<TensorMetadata> out = new ArrayList<>();
    try {
      for (ModelMetadataResponse.TensorMetadata t : m.getInputsList()) {
        in.add(new TensorMetadata(t.getName(), Datatype.fromWireName(t.getDatatype()), unboxed(t.getShapeList())));
      }
      for (ModelMetadataResponse.TensorMetadata t : m.getOutputsList()) {
        out.add(new TensorMetadata(t.getName(), Datatype.fromWireName(t.getDatatype()), unboxed(t.getShapeList())));
      }
    } catch (IllegalArgumentException e) {
      throw new CorruptPayloadException("model metadata: " + e.getMessage());
    }
    return new ModelMetadata(m.getName(), m.getVersionsList(), m.getPlatform(), in, out);
  }

  /** The tensor's data as a ByteString over its array: no copy; tensors never change their data. */
  private static ByteString wrap(InferTensor t) {
    return UnsafeByteOperations.unsafeWrap(t.dataArray(), t.dataOffset(), t.dataLength());
  }

  private static Map<String, InferParameter> toProto(Map<String, Object> params) {
    Map<String, InferParameter> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      InferParameter.Builder p = InferParameter.newBuilder();
      Object v = e.getValue();
      if (v instanceof Boolean b) {
        p.setBoolParam(b);
      } else if (v instanceof Long l) {
        p.setInt64Param(l);
      } else if (v instanceof Double d) {
        p.setDoubleParam(d);
      } else {
        p.setStringParam((String) v);
      }
      out.put(e.getKey(), p.build());
    }
    return out;
  }

  private static List<Long> boxed(long[] shape) {
    List<Long> out = new ArrayList<>(shape.length);
    for (long d : shape) {
      out.add(d);
    }
    return out;
  }

  // ------------------------------------------------------------------ in

  static InferRequest fromProto(ModelInferRequest m, Limits limits) {
    checkCounts(m.getInputsCount(), m.getRawInputContentsCount(), "input");
    InferRequest.Builder b = InferRequest.builder(m.getModelName()).version(m.getModelVersion())
        .id(m.getId().isEmpty() ? null : m.getId()).parameters(fromProto(m.getParametersMap(), "the request"));
    for (int i = 0; i < m.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor t = m.getInputs(i);
      String where = "input '" + Strings.excerpt(t.getName()) + "'";
      boolean raw = m.getRawInputContentsCount() > 0;
      if (raw && t.hasContents()) {
        throw new CorruptPayloadException(where + " has typed contents, but the request uses raw_input_contents;"
            + " the protocol allows one or the other");
      }
      b.input(tensor(t.getName(), t.getDatatype(), t.getShapeList(), fromProto(t.getParametersMap(), where),
          raw ? m.getRawInputContents(i) : null, t.getContents(), where, limits));
    }
    for (ModelInferRequest.InferRequestedOutputTensor o : m.getOutputsList()) {
      if (o.getName().isEmpty() || o.getName().length() > InferTensor.MAX_NAME_LENGTH) {
        throw new CorruptPayloadException("a requested output needs a name of 1.." + InferTensor.MAX_NAME_LENGTH + " characters");
      }
      b.output(new RequestedOutput(o.getName(), fromProto(o.getParametersMap(), "output '" + Strings.excerpt(o.getName()) + "'")));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CorruptPayloadException(e.getMessage());
    }
  }

  static InferResponse fromProto(ModelInferResponse m, Limits limits) {
    checkCounts(m.getOutputsCount(), m.getRawOutputContentsCount(), "output");
    InferResponse.Builder b = InferResponse.builder(m.getModelName()).version(m.getModelVersion())
        .id(m.getId().isEmpty() ? null : m.getId()).parameters(fromProto(m.getParametersMap(), "the response"));
    for (int i = 0; i < m.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor t = m.getOutputs(i);
      String where = "output '" + Strings.excerpt(t.getName()) + "'";
      boolean raw = m.getRawOutputContentsCount() > 0;
      if (raw && t.hasContents()) {
        throw new CorruptPayloadException(where + " has typed contents, but the response uses raw_output_contents");
      }
      b.output(tensor(t.getName(), t.getDatatype(), t.getShapeList(), fromProto(t.getParametersMap(), where),
          raw ? m.getRawOutputContents(i) : null, t.getContents(), where, limits));
    }
    return b.build();
  }

  private static void checkCounts(int tensors, int raw, String kind) {
    if (tensors > RestCodec.MAX_TENSORS) {
      throw new org.framecodec.PayloadTooLargeException(tensors + " " + kind + "s, more than " + RestCodec.MAX_TENSORS);
    }
    if (raw != 0 && raw != tensors) {
      throw new CorruptPayloadException("raw_" + kind + "_contents has " + raw + " entries for " + tensors + " "
          + kind + "s; it needs one per " + kind);
    }
  }

  private static InferTensor tensor(String name, String datatype, List<Long> shapeList, Map<String, Object> params,
      ByteString raw, InferTensorContents contents, String where, Limits limits) {
    if (name.isEmpty() || name.length() > InferTensor.MAX_NAME_LENGTH) {
      throw new CorruptPayloadException(where + " needs a name of 1.." + InferTensor.MAX_NAME_LENGTH + " characters");
    }
    Datatype type;
    try {
      type = Datatype.fromWireName(datatype);
    } catch (UnsupportedPayloadException e) {
      throw new UnsupportedPayloadException(where + ": " + e.getMessage());
    }
    if (shapeList.size() > InferTensor.MAX_RANK) {
      throw new CorruptPayloadException(where + " has " + shapeList.size() + " dimensions, more than " + InferTensor.MAX_RANK);
    }
    long[] shape = unboxed(shapeList);
    byte[] data = raw != null ? raw.toByteArray() : typed(type, contents, where, limits);
    return InferTensor.parsed(name, type, shape, params, data, 0, data.length, limits);
  }

  /** Typed contents in the binary layout; the element count is checked against the shape later. */
  private static byte[] typed(Datatype type, InferTensorContents c, String where, Limits limits) {
    int n = switch (type) {
      case BOOL -> c.getBoolContentsCount();
      case INT8, INT16, INT32 -> c.getIntContentsCount();
      case INT64 -> c.getInt64ContentsCount();
      case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
      case UINT64 -> c.getUint64ContentsCount();
      case FP32 -> c.getFp32ContentsCount();
      case FP64 -> c.getFp64ContentsCount();
      case BYTES -> c.getBytesContentsCount();
      case FP16 -> throw new UnsupportedPayloadException(where + " is FP16, which has no typed contents; send it raw");
    };
    if (type == Datatype.BYTES) {
      limits.checkFrameCount(n);
      long total = 0;
      for (ByteString s : c.getBytesContentsList()) {
        limits.checkPayloadBytes(s.size());
        total += 4L + s.size();
      }
      limits.checkDocumentBytes(total);
      ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
      for (ByteString s : c.getBytesContentsList()) {
        out.putInt(s.size());
        s.copyTo(out);
      }
      return out.array();
    }
    ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, type.size())).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (type) {
        case BOOL -> out.put((byte) (c.getBoolContents(i) ? 1 : 0));
        case INT8 -> out.put(narrow(c.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE, where, i));
        case INT16 -> out.putShort((short) narrow(c.getIntContents(i), Short.MIN_VALUE, Short.MAX_VALUE, where, i));
        case INT32 -> out.putInt(c.getIntContents(i));
        case INT64 -> out.putLong(c.getInt64Contents(i));
        case UINT8 -> out.put(narrow(Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xff, where, i));
        case UINT16 -> out.putShort((short) narrow(Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xffff, where, i));
        case UINT32 -> out.putInt(c.getUintContents(i));
        case UINT64 -> out.putLong(c.getUint64Contents(i));
        case FP32 -> out.putFloat(c.getFp32Contents(i));
        case FP64 -> out.putDouble(c.getFp64Contents(i));
        default -> throw new IllegalStateException(type.name());
      }
    }
    return out.array();
  }

  private static byte narrow(long v, long min, long max, String where, int i) {
    if (v < min || v > max) {
      throw new CorruptPayloadException(where + " contents element " + i + " is out of range: " + v);
    }
    return (byte) v;
  }

  private static Map<String, Object> fromProto(Map<String, InferParameter> params, String where) {
    if (params.size() > RestCodec.MAX_PARAMETERS) {
      throw new org.framecodec.PayloadTooLargeException(where + " has more than " + RestCodec.MAX_PARAMETERS + " parameters");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, InferParameter> e : params.entrySet()) {
      InferParameter p = e.getValue();
      Object v = switch (p.getParameterChoiceCase()) {
        case BOOL_PARAM -> p.getBoolParam();
        case INT64_PARAM -> p.getInt64Param();
        case STRING_PARAM -> p.getStringParam();
        case DOUBLE_PARAM -> p.getDoubleParam();
        case UINT64_PARAM -> p.getUint64Param();
        case PARAMETERCHOICE_NOT_SET -> throw new CorruptPayloadException(where + " parameter '"
            + Strings.excerpt(e.getKey()) + "' has no value");
      };
      out.put(e.getKey(), v);
    }
    return Parameters.copy(out);
  }

  private static long[] unboxed(List<Long> shape) {
    long[] out = new long[shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.get(i);
    }
    return out;
  }
}
