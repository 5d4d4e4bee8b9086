package org.framecodec.oip;

import java.util.List;
import java.util.Objects;

/**
 * A model's metadata, as {@code GET /v2/models/{name}} and the gRPC {@code ModelMetadata} call
 * return it. Immutable.
 *
 * @param name the model name
 * @param versions the versions a client may ask for; empty when the server does not version
 * @param platform the framework or backend, informational (e.g. {@code onnx_onnxv1})
 * @param inputs what the model takes
 * @param outputs what it returns
 */
public record ModelMetadata(String name, List<String> versions, String platform,
    List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
  /**
   * Copies the lists; every argument is required.
   *
   * @param name the model name
   * @param versions the versions a client may ask for
   * @param platform the framework or backend
   * @param inputs what the model takes
   * @param outputs what it returns
   */
  public ModelMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    versions = List.copyOf(versions);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * The input named {@code n}.
   *
   * @param n the input name
   * @return its metadata, or null
   */
  public TensorMetadata input(String n) {
    return inputs.stream().filter(t -> t.name().equals(n)).findFirst().orElse(null);
  }

  /**
   * The output named {@code n}.
   *
   * @param n the output name
   * @return its metadata, or null
   */
  public TensorMetadata output(String n) {
    return outputs.stream().filter(t -> t.name().equals(n)).findFirst().orElse(null);
  }
}
