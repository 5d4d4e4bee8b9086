package org.framecodec.detect;

/**
 * The model runs, but its outputs are not what the chosen {@link OutputHead} decodes (for example
 * a BlazeFace model opened with the YOLOv5 head), or its input is not what the {@link InputSpec}
 * describes. The message lists the shapes the model produced and the ones the head expects.
 */
public class ModelMismatchException extends DetectorException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public ModelMismatchException(String message) {
    super(message);
  }
}
