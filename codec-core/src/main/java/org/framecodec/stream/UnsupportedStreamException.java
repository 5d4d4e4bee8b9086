package org.framecodec.stream;

import org.framecodec.UnsupportedPayloadException;

/**
 * A well-formed input this package cannot process: it has no video stream (audio only, data
 * only), or its video codec has no decoder in the FFmpeg build (an unknown FourCC, for instance).
 * Never retried: reconnecting would get the same stream.
 */
public class UnsupportedStreamException extends UnsupportedPayloadException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   */
  public UnsupportedStreamException(String message) {
    super(message);
  }
}
