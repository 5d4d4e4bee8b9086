package org.framecodec.oip;

import org.framecodec.FrameCodecException;

/**
 * A request names a model (or a version) the server does not have: REST 404, gRPC {@code
 * NOT_FOUND}. Part of the {@link FrameCodecException} family.
 */
public class ModelNotFoundException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  /** @param message names the model or version asked for and what the server has */
  public ModelNotFoundException(String message) {
    super(message);
  }
}
