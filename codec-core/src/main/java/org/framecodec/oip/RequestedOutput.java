package org.framecodec.oip;

import java.util.Map;
import java.util.Objects;

/**
 * An output a request asks for, by name, with its parameters: {@code {"name": "boxes",
 * "parameters": {"binary_data": true}}}. Immutable.
 *
 * @param name the output tensor's name
 * @param parameters unmodifiable; {@code binary_data} asks for the output in the binary tail
 */
public record RequestedOutput(String name, Map<String, Object> parameters) {
  /**
   * Checks the name and copies the parameters.
   *
   * @param name the output tensor's name, 1 to {@value InferTensor#MAX_NAME_LENGTH} characters
   * @param parameters String, Long, Double or Boolean values
   */
  public RequestedOutput {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > InferTensor.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("output name must be 1.." + InferTensor.MAX_NAME_LENGTH
          + " characters, got " + name.length());
    }
    parameters = Parameters.copy(parameters);
  }

  /**
   * An output requested with no parameters (JSON data unless the request asks for binary).
   *
   * @param name the output name
   * @return the request
   */
  public static RequestedOutput named(String name) {
    return new RequestedOutput(name, Map.of());
  }

  /**
   * An output requested as binary data ({@code "binary_data": true}).
   *
   * @param name the output name
   * @return the request
   */
  public static RequestedOutput binary(String name) {
    return new RequestedOutput(name, Map.of(Parameters.BINARY_DATA, true));
  }

  /** {@return the {@code binary_data} parameter when it is there and a boolean, else null} */
  public Boolean binaryData() {
    return parameters.get(Parameters.BINARY_DATA) instanceof Boolean b ? b : null;
  }
}
