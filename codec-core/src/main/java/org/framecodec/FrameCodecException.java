package org.framecodec;

/**
 * The root of every exception FrameCodec throws for a failure that is not a programming error:
 * catch this one type where frames, payloads or inference requests enter a service.
 *
 * <p>The family:
 * <ul>
 *   <li>{@link FrameFormatException}: bad input, never a partial or guessed frame. Its subclasses
 *       tell apart damaged input ({@link CorruptPayloadException}, which includes a malformed
 *       answer from an inference service), input over a {@link Limits limit}
 *       ({@link PayloadTooLargeException}) and well-formed input this library does not handle
 *       ({@link UnsupportedPayloadException});
 *   <li>{@link NativeCodecException}: a codec engine that cannot load or fails on valid input;
 *   <li>{@code org.framecodec.detect.DetectorException}: a model that cannot be opened or run;
 *   <li>{@code org.framecodec.transport.TransportException}: an inference service that cannot be
 *       reached or answers with an error status.
 * </ul>
 *
 * <p>Wrong arguments raise {@link IllegalArgumentException} and use after close
 * {@link IllegalStateException}, as in the JDK: those are bugs in the calling code, not
 * conditions to handle. Unchecked, so batch code and lambdas stay readable. Every message names
 * the problem and, where there is one, the offending value.
 */
public class FrameCodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, with the offending value
   */
  public FrameCodecException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the failure that caused it.
   *
   * @param message what went wrong, with the offending value
   * @param cause the underlying failure
   */
  public FrameCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
