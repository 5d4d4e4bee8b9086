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
  private final MessageHeader header;
  private final List<InferTensor> outputs;

  private InferResponse(Builder b) {
    this.header = b.header.built();
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
    return header.modelName();
  }

  /** {@return the model version; empty when the server does not version} */
  public String modelVersion() {
    return header.modelVersion();
  }

  /** {@return the request's id, echoed} */
  public Optional<String> id() {
    return Optional.ofNullable(header.id());
  }

  /** {@return response-wide parameters (unmodifiable)} */
  public Map<String, Object> parameters() {
    return header.parameters();
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
    InferTensor t = InferTensor.named(outputs, name);
    if (t != null) {
      return t;
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
    return InferTensor.named(outputs, name) != null;
  }

  @Override
  public String toString() {
    return "InferResponse{" + header.describe() + ", outputs=" + outputs + "}";
  }

  /** Builds an {@link InferResponse}. Not thread-safe. */
  public static final class Builder {
    private MessageHeader header;
    private final List<InferTensor> outputs = new ArrayList<>();

    private Builder(String modelName) {
      this.header = MessageHeader.of(modelName);
    }

    /**
     * The model version that answered.
     *
     * @param value the version; empty for none
     * @return this builder
     */
    public Builder version(String value) {
      this.header = header.withVersion(value);
      return this;
    }

    /**
     * The request's id, echoed.
     *
     * @param value the id; null for none
     * @return this builder
     */
    public Builder id(String value) {
      this.header = header.withId(value);
      return this;
    }

    /**
     * Response-wide parameters.
     *
     * @param value String, Long, Double or Boolean values by name
     * @return this builder
     */
    public Builder parameters(Map<String, ?> value) {
      this.header = header.withParameters(value);
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
