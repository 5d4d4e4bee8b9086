package org.framecodec.oip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The protocol's {@code "parameters"} objects: name to a string, an integer ({@link Long}), a
 * number ({@link Double}) or a boolean. Maps handed to this package are copied into an
 * unmodifiable, insertion-ordered map holding only those types ({@link Integer} becomes
 * {@link Long}, {@link Float} becomes {@link Double}). Stateless and thread-safe.
 */
final class Parameters {
  /** The binary extension's per-tensor size of the binary data, in bytes. */
  static final String BINARY_DATA_SIZE = "binary_data_size";
  /** The binary extension's per-output request for binary data. */
  static final String BINARY_DATA = "binary_data";
  /** The binary extension's request-wide default for {@link #BINARY_DATA}. */
  static final String BINARY_DATA_OUTPUT = "binary_data_output";
  /**
   * How a BYTES tensor's JSON strings are to be read: {@code "base64"} (Seldon MLServer's
   * convention, which FrameCodec follows for JPEGs in JSON) or absent for UTF-8 text.
   */
  static final String CONTENT_TYPE = "content_type";

  private Parameters() {}

  static Map<String, Object> copy(Map<String, ?> values) {
    Objects.requireNonNull(values, "parameters");
    if (values.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "parameter name");
      out.put(key, normalise(key, e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
    Map<String, Object> out = new LinkedHashMap<>(values);
    out.put(Objects.requireNonNull(key, "parameter name"), normalise(key, value));
    return Collections.unmodifiableMap(out);
  }

  static Map<String, Object> without(Map<String, Object> values, String key) {
    if (!values.containsKey(key)) {
      return values;
    }
    Map<String, Object> out = new LinkedHashMap<>(values);
    out.remove(key);
    return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
  }

  private static Object normalise(String key, Object v) {
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float) {
      return ((Float) v).doubleValue();
    }
    throw new IllegalArgumentException("parameter '" + key + "' must be a String, Boolean, Long or Double, got "
        + (v == null ? "null" : v.getClass().getName()));
  }
}
