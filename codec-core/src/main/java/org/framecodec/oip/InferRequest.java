package org.framecodec.oip;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An inference request of the Open Inference Protocol: the model it is for, an optional id and
 * parameters, the input tensors and the outputs asked for (none: all of them).
 *
 * <p>The model name and version travel in the URL (REST) or the message (gRPC). The REST JSON
 * header may also hold {@code "model_name"}; that is read into {@link #modelName()} only when no
 * URL says otherwise.
 *
 * <p>Immutable and thread-safe; the inputs' data is shared, not copied (see {@link InferTensor}).
 * Built with {@link #builder(String)}.
 */
public final class InferRequest {
  private final MessageHeader header;
  private final List<InferTensor> inputs;
  private final List<RequestedOutput> outputs;

  private InferRequest(Builder b) {
    this.header = b.header.built();
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    Set<String> names = new HashSet<>();
    for (InferTensor t : inputs) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("two inputs are named '" + t.name() + "'");
      }
    }
  }

  /**
   * A builder for a request to {@code modelName} (may be empty when the URL names the model).
   *
   * @param modelName the model name
   * @return the builder
   */
  public static Builder builder(String modelName) {
    return new Builder(modelName);
  }

  /** {@return a builder holding this request's values} */
  public Builder toBuilder() {
    Builder b = new Builder(header.modelName());
    b.header = header;
    b.inputs.addAll(inputs);
    b.outputs.addAll(outputs);
    return b;
  }

  /** {@return the model name; empty when not known} */
  public String modelName() {
    return header.modelName();
  }

  /** {@return the model version; empty lets the server choose} */
  public String modelVersion() {
    return header.modelVersion();
  }

  /** {@return the request id, when one was given; the response must echo it} */
  public Optional<String> id() {
    return Optional.ofNullable(header.id());
  }

  /** {@return request-wide parameters (unmodifiable)} */
  public Map<String, Object> parameters() {
    return header.parameters();
  }

  /** {@return the input tensors, in order} */
  public List<InferTensor> inputs() {
    return inputs;
  }

  /**
   * The input named {@code name}, or null.
   *
   * @param name the input or output name
   * @return the tensor, or null
   */
  public InferTensor input(String name) {
    return InferTensor.named(inputs, name);
  }

  /** {@return the outputs asked for; empty means all} */
  public List<RequestedOutput> outputs() {
    return outputs;
  }

  /**
   * Whether the output named {@code name} is to be sent as binary data: its own {@code
   * binary_data} parameter, else the request's {@code binary_data_output}, else {@code
   * defaultBinary}.
   *
   * @param name the output name
   * @param defaultBinary the answer when neither parameter is given
   * @return true for binary data
   */
  public boolean wantsBinary(String name, boolean defaultBinary) {
    for (RequestedOutput o : outputs) {
      if (o.name().equals(name) && o.binaryData() != null) {
        return o.binaryData();
      }
    }
    if (header.parameters().get(Parameters.BINARY_DATA_OUTPUT) instanceof Boolean b) {
      return b;
    }
    return defaultBinary;
  }

  @Override
  public String toString() {
    return "InferRequest{" + header.describe() + ", inputs=" + inputs + ", outputs=" + outputs + "}";
  }

  /** Builds an {@link InferRequest}. Not thread-safe. */
  public static final class Builder {
    private MessageHeader header;
    private final List<InferTensor> inputs = new ArrayList<>();
    private final List<RequestedOutput> outputs = new ArrayList<>();

    private Builder(String modelName) {
      this.header = MessageHeader.of(modelName);
    }

    /**
     * The model name; may be empty when the URL names the model.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder model(String value) {
      this.header = header.withModel(value);
      return this;
    }

    /**
     * The model version; empty (the default) lets the server choose.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder version(String value) {
      this.header = header.withVersion(value);
      return this;
    }

    /**
     * The request id; null for none.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder id(String value) {
      this.header = header.withId(value);
      return this;
    }

    /**
     * Request-wide parameters.
     *
     * @param value String, Long, Double or Boolean values by name
     * @return this builder
     */
    public Builder parameters(Map<String, ?> value) {
      this.header = header.withParameters(value);
      return this;
    }

    /**
     * Adds an input tensor.
     *
     * @param value the tensor; its data is shared, not copied
     * @return this builder
     */
    public Builder input(InferTensor value) {
      inputs.add(Objects.requireNonNull(value, "input"));
      return this;
    }

    /**
     * Asks for an output; none asks for all.
     *
     * @param value the output and its parameters
     * @return this builder
     */
    public Builder output(RequestedOutput value) {
      outputs.add(Objects.requireNonNull(value, "output"));
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     * @throws IllegalArgumentException when two inputs share a name
     */
    public InferRequest build() {
      return new InferRequest(this);
    }
  }
}
