package org.framecodec.detect;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A float32 tensor in C order: a shape and a {@link FloatBuffer} holding exactly the product of
 * its dimensions. What an {@link OutputDecoder} reads.
 *
 * <p>Buffer ownership: the tensors a {@link Detector} passes to a decoder are views of the
 * engine's output memory, valid only during that {@code decode} call; copy what must outlive it.
 * Tensors made with {@link #of(float[], int...)} wrap the caller's array. A tensor never changes
 * its buffer's position or limit (reads are absolute), so it is safe to read from several threads
 * while nobody writes the memory.
 */
public final class Tensor {
  private final int[] shape;
  private final FloatBuffer data;

  private Tensor(FloatBuffer data, int[] shape) {
    this.shape = shape.clone();
    this.data = Objects.requireNonNull(data, "data");
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor dimensions must not be negative, got " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.remaining()) {
      throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " holds " + n
          + " floats, but the buffer has " + data.remaining());
    }
  }

  /**
   * Wraps {@code data} (not copied) as a tensor of the given shape.
   *
   * @param data the values, C order, not copied
   * @param shape the dimensions
   * @return the tensor
   */
  public static Tensor of(float[] data, int... shape) {
    return new Tensor(FloatBuffer.wrap(data), shape);
  }

  /**
   * Wraps the buffer's remaining floats (not copied) as a tensor of the given shape.
   *
   * @param data the values, C order, not copied
   * @param shape the dimensions
   * @return the tensor
   */
  public static Tensor of(FloatBuffer data, int... shape) {
    return new Tensor(data.slice(), shape);
  }

  /** {@return the number of dimensions} */
  public int rank() {
    return shape.length;
  }

  /**
   * {@return the size of one dimension}
   *
   * @param axis the dimension, from 0
   */
  public int dim(int axis) {
    return shape[axis];
  }

  /** {@return a copy of the dimensions} */
  public int[] shape() {
    return shape.clone();
  }

  /**
   * {@return the element at flat (C-order) index {@code i}}
   *
   * @param i the index
   */
  public float get(int i) {
    return data.get(i);
  }

  /** Copies every element, in C order, into {@code dst} from {@code offset}. */
  void copyTo(float[] dst, int offset) {
    data.get(0, dst, offset, data.limit());
  }

  /** {@return the number of elements} */
  public int size() {
    return data.limit();
  }

  /** {@return the shape as {@code [1, 512, 16]}, for messages} */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  /** The shapes of {@code tensors} as {@code [1, 512, 1], [1, 384, 1]}, for messages. */
  static String shapes(List<Tensor> tensors) {
    StringBuilder sb = new StringBuilder();
    for (Tensor t : tensors) {
      sb.append(sb.length() > 0 ? ", " : "").append(t.shapeString());
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "Tensor" + shapeString();
  }
}
