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

  public static Builder builder(String modelName) {
    return new Builder(modelName);
  }

  public String modelName() {
    return modelName;
  }

  /** The model version; empty when the server does not version. */
  public String modelVersion() {
    return modelVersion;
  }

  /** The request's id, echoed. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  public Map<String, Object> parameters() {
    return parameters;
  }

  public List<InferTensor> outputs() {
    return outputs;
  }

  /**
   * The output named {@code name}.
   *
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

  /** Whether there is an output named {@code name}. */
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

    public Builder version(String value) {
      this.modelVersion = Objects.requireNonNull(value, "modelVersion");
      return this;
    }

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder parameters(Map<String, ?> value) {
      this.parameters = Objects.requireNonNull(value, "parameters");
      return this;
    }

    public Builder output(InferTensor value) {
      outputs.add(Objects.requireNonNull(value, "output"));
      return this;
    }

    public InferResponse build() {
      return new InferResponse(this);
    }
  }
}
