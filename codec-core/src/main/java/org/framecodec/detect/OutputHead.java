package org.framecodec.detect;

import java.util.List;

/**
 * How to read a family of detection models: which outputs they have and what the numbers mean.
 * Pluggable: {@link BlazeFaceHead} and {@link YoloV5Head} ship; another family is one more
 * implementation.
 *
 * <p>A head is immutable and thread-safe. When a {@link Detector} opens a model it runs one
 * forward pass and calls {@link #bind} with the outputs; the head checks their shapes and returns
 * a decoder specialised to that model (output order resolved, anchors computed), or throws
 * {@link ModelMismatchException} naming the shapes it got and the ones it expects.
 */
public interface OutputHead {

  /** {@return the short name, as on the command line: {@code blazeface}, {@code yolov5}} */
  String name();

  /**
   * {@return the pre-processing models of this family were trained with, for an input of this size
   * and layout}
   *
   * @param width input width in pixels
   * @param height input height in pixels
   * @param layout tensor layout
   */
  InputSpec defaultInput(int width, int height, TensorLayout layout);

  /** {@return the post-processing defaults that suit this family} */
  NmsOptions defaultNms();

  /**
   * Checks a model's outputs (only their shapes are read; the batch is dimension 0) against this
   * head and the input it is fed; returns the decoder for that model.
   *
   * @param outputs the model's output tensors
   * @param input the model input
   * @return the decoder for that model
   */
  OutputDecoder bind(List<Tensor> outputs, InputSpec input);
}
