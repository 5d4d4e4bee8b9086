package org.framecodec.oip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.framecodec.CorruptPayloadException;

/**
 * An inference response of the Open Inference Protocol: the model that answered, the request's
 * id, parameters and the output tensors.
 *
 * <p>Immutable and thread-safe; the outputs' data is shared, not copied (see {@link
 * InferTensor}). Built with {@link #builder(String)}.
 */
public final class InferResponse {
  private final String modelName;
  private final String modelVersion;
  private final String id;
  private final Map<String, Object> parameters;
  private final List<InferTensor> outputs;

  private InferResponse(Builder b) {
    this.modelName = b.modelName;
    this.modelVersion = b.modelVersion;
    this.id = b.id;
    this.parameters = Parameters.copy(b.parameters);
    this.outputs = List.copyOf(b.outputs);
  }

  /**
   * A builder for a response of {@code modelName}.
   *
   * @param modelName the model that answered; may be empty
   * @return the builder
   */
  public static Builder builder(String modelName) {
    return new Builder(modelName);
  }

  /** {@return the model that answered; empty when the server did not say} */
  public String modelName() {
    return modelName;
  }

  /** {@return the model version; empty when the server does not version} */
  public String modelVersion() {
    return modelVersion;
  }

  /** {@return the request's id, echoed} */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** {@return response-wide parameters (unmodifiable)} */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** {@return the output tensors, in the server's order} */
  public List<InferTensor> outputs() {
    return outputs;
  }

  /**
   * The output named {@code name}.
   *
   * @param name the output name
   * @return the tensor
   * @throws CorruptPayloadException when the response has no such output: the server did not
   *     answer what was asked
   */
  public InferTensor output(String name) {
    for (InferTensor t : outputs) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new CorruptPayloadException("the response has no output '" + Strings.excerpt(name) + "'; it has "
        + outputs.stream().map(InferTensor::name).toList());
  }

  /**
   * Whether there is an output named {@code name}.
   *
   * @param name the output name
   * @return whether it is there
   */
  public boolean hasOutput(String name) {
    return outputs.stream().anyMatch(t -> t.name().equals(name));
  }

  @Override
  public String toString() {
    return "InferResponse{model=" + modelName + (modelVersion.isEmpty() ? "" : "/" + modelVersion)
        + (id == null ? "" : ", id=" + id) + ", outputs=" + outputs + "}";
  }

  /** Builds an {@link InferResponse}. Not thread-safe. */
  public static final class Builder {
    private String modelName;
    private String modelVersion = "";
    private String id;
    private Map<String, ?> parameters = Map.of();
    private final List<InferTensor> outputs = new ArrayList<>();

    private Builder(String modelName) {
      this.modelName = Objects.requireNonNull(modelName, "modelName");
    }

    /**
     * The model version that answered.
     *
     * @param value the version; empty for none
     * @return this builder
     */
    public Builder version(String value) {
      this.modelVersion = Objects.requireNonNull(value, "modelVersion");
      return this;
    }

    /**
     * The request's id, echoed.
     *
     * @param value the id; null for none
     * @return this builder
     */
    public Builder id(String value) {
      this.id = value;
      return this;
    }

    /**
     * Response-wide parameters.
     *
     * @param value String, Long, Double or Boolean values by name
     * @return this builder
     */
    public Builder parameters(Map<String, ?> value) {
      this.parameters = Objects.requireNonNull(value, "parameters");
      return this;
    }

    /**
     * Adds an output tensor.
     *
     * @param value the tensor; its data is shared, not copied
     * @return this builder
     */
    public Builder output(InferTensor value) {
      outputs.add(Objects.requireNonNull(value, "output"));
      return this;
    }

    /** {@return the response} */
    public InferResponse build() {
      return new InferResponse(this);
    }
  }
}
