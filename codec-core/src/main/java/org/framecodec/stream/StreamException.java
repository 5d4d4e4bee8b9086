package org.framecodec.stream;

import org.framecodec.FrameCodecException;

/**
 * A stream could not be read or written: the root of the failures of {@code
 * org.framecodec.stream} that are not bad input. Its subclasses tell apart a source that cannot be
 * reached or is gone ({@link SourceUnavailableException}), a source that stalled past its read
 * timeout ({@link SourceTimeoutException}) and an output that cannot be opened or written
 * ({@link SinkException}). Bad input (a file that is not video, is damaged, or holds a codec
 * FFmpeg cannot decode) raises {@link UnsupportedStreamException} or {@link
 * CorruptStreamException}, which belong to the {@link org.framecodec.FrameFormatException} branch.
 *
 * <p>Part of the {@link FrameCodecException} family. The message names the URL and FFmpeg's own
 * error text where there is one.
 */
public class StreamException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   */
  public StreamException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, naming the URL and FFmpeg's error text where there is one
   * @param cause the underlying failure
   */
  public StreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
