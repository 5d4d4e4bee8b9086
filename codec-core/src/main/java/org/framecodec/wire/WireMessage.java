package org.framecodec.wire;

import java.util.List;
import java.util.Objects;
import org.framecodec.codec.EncodedFrame;

/**
 * What a reader found in one message: the {@link Framing} it detected and the frames, in order.
 * A single-frame message has one frame; a batch may have any number up to the limit, zero
 * included. Immutable; the frames' payload ownership is described by the reader that made it.
 *
 * @param framing how the message was framed
 * @param frames the frames, an unmodifiable list
 */
public record WireMessage(Framing framing, List<EncodedFrame> frames) {
  /**
   * Copies the frames into an unmodifiable list.
   *
   * @param framing how the message was framed
   * @param frames the frames
   */
  public WireMessage {
    Objects.requireNonNull(framing, "framing");
    frames = List.copyOf(frames);
  }

  /**
   * {@return the only frame; throws {@link IllegalStateException} naming the count if there is not
   * exactly one}
   */
  public EncodedFrame single() {
    if (frames.size() != 1) {
      throw new IllegalStateException("expected one frame, the " + framing + " message has " + frames.size());
    }
    return frames.get(0);
  }
}
