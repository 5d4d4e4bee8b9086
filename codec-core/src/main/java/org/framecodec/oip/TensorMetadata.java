package org.framecodec.oip;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a model says about one of its inputs or outputs in its metadata: name, datatype and shape,
 * where -1 marks a dimension of variable size (the batch, or the number of JPEGs). Immutable.
 */
public final class TensorMetadata {
  private final String name;
  private final Datatype datatype;
  private final long[] shape;

  /**
   * Metadata of one tensor.
   *
   * @param name the tensor name
   * @param datatype the element type
   * @param shape the dimensions, -1 where the size varies
   * @throws IllegalArgumentException when a dimension is below -1
   */
  public TensorMetadata(String name, Datatype datatype, long... shape) {
    this.name = Objects.requireNonNull(name, "name");
    this.datatype = Objects.requireNonNull(datatype, "datatype");
    for (long d : shape) {
      if (d < -1) {
        throw new IllegalArgumentException("dimension must be -1 (variable) or more, got " + d);
      }
    }
    this.shape = shape.clone();
  }

  /** {@return the tensor name} */
  public String name() {
    return name;
  }

  /** {@return the element type} */
  public Datatype datatype() {
    return datatype;
  }

  /** {@return a copy of the shape; -1 where the size varies} */
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorMetadata t && name.equals(t.name) && datatype == t.datatype
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, datatype) * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + datatype + " " + Arrays.toString(shape);
  }
}
