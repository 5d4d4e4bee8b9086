package org.framecodec.detect;

import org.framecodec.FrameCodecException;

/**
 * A detector that cannot be opened or run: a model file that is missing, unreadable or not ONNX,
 * a model OpenCV cannot execute, or a failure inside the inference engine.
 *
 * <p>The root of the detector's own exceptions; {@link ModelMismatchException} and
 * {@link GpuUnavailableException} tell apart the two failures a caller may want to handle.
 * Bad arguments (an empty batch, a planar frame) raise {@link IllegalArgumentException}, and bad
 * JPEG payloads the usual {@link org.framecodec.FrameFormatException} family. Unchecked, like the
 * rest of FrameCodec; the message names the file or value at fault.
 */
public class DetectorException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  public DetectorException(String message) {
    super(message);
  }

  public DetectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
