package org.framecodec;

/**
 * A payload, envelope, container or file that cannot be turned into a frame: the root of the
 * exception family every decoder in FrameCodec throws for bad input.
 *
 * <p>Decoders never return a partial or guessed frame; they throw one of the subclasses, whose
 * message names the problem and, where there is one, the offending value. The subclasses tell
 * apart input that is damaged ({@link CorruptPayloadException}), input that exceeds a configured
 * {@link Limits limit} ({@link PayloadTooLargeException}) and well-formed input this library does
 * not handle ({@link UnsupportedPayloadException}).
 *
 * <p>Part of the {@link FrameCodecException} family; catch it where untrusted bytes enter.
 */
public class FrameFormatException extends FrameCodecException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public FrameFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public FrameFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
