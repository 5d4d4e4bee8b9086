package org.framecodec.oip;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link InferRequest} and an {@link InferResponse} both carry besides their tensors:
 * the model's name and version, the request id (null for none) and the message-wide
 * parameters. Both builders hold one and replace it as they are called; {@link #built()} checks
 * and copies the parameters for the built message, which keeps that one.
 *
 * <p>Immutable; a builder's copy may still view the caller's parameter map, which {@link
 * #built()} copies (so a change to that map before {@code build()} counts, as it always did).
 */
record MessageHeader(String modelName, String modelVersion, String id, Map<String, Object> parameters) {
  MessageHeader {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(parameters, "parameters");
  }

  /** {@return the header of a message to or from {@code modelName}: no version, id or parameters} */
  static MessageHeader of(String modelName) {
    return new MessageHeader(modelName, "", null, Map.of());
  }

  MessageHeader withModel(String value) {
    return new MessageHeader(value, modelVersion, id, parameters);
  }

  MessageHeader withVersion(String value) {
    return new MessageHeader(modelName, value, id, parameters);
  }

  MessageHeader withId(String value) {
    return new MessageHeader(modelName, modelVersion, value, parameters);
  }

  MessageHeader withParameters(Map<String, ?> value) {
    return new MessageHeader(modelName, modelVersion, id,
        Collections.unmodifiableMap(Objects.requireNonNull(value, "parameters")));
  }

  /**
   * {@return this header with its parameters checked and copied, for a built message}
   *
   * @throws IllegalArgumentException for a parameter value that is not a string, number or boolean
   */
  MessageHeader built() {
    return new MessageHeader(modelName, modelVersion, id, Parameters.copy(parameters));
  }

  /** {@return {@code model=NAME[/VERSION][, id=ID]}, how both messages start their toString} */
  String describe() {
    return "model=" + modelName + (modelVersion.isEmpty() ? "" : "/" + modelVersion)
        + (id == null ? "" : ", id=" + id);
  }
}
