package org.framecodec.transport;

import java.util.List;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegHeaders;
import org.framecodec.codec.JpegInfo;

/**
 * What a request's frames will cost, read from their JPEG headers and markers before any of them
 * is decoded: each frame's header must agree with the shape it declares (400 naming both), each
 * must pass the pixel, scan and work limits (413) and hold enough scan data for its size (400:
 * truncated), and the pixels of all of them together must fit {@link Limits#maxRequestPixels()}
 * (413). Stateless.
 */
final class RequestBudget {
  private RequestBudget() {}

  /** The pixels the frames declare in all, after every check passed. */
  static long check(List<EncodedFrame> frames, Limits limits) {
    long total = 0;
    for (int i = 0; i < frames.size(); i++) {
      EncodedFrame f = frames.get(i);
      try {
        JpegInfo info = JpegHeaders.read(f.payloadArray(), f.payloadOffset(), f.payloadLength());
        if (info.width() != f.width() || info.height() != f.height()
            || info.components() != f.channels()) {
          throw new CorruptPayloadException("declares shape [" + f.height() + ", " + f.width() + ", "
              + f.channels() + "] but its JPEG header says [" + info.height() + ", " + info.width()
              + ", " + info.components() + "]");
        }
        limits.checkPixels(info.width(), info.height());
        JpegHeaders.checkBeforeDecode(f.payloadArray(), f.payloadOffset(), f.payloadLength(), info, limits);
        total += info.pixels();
      } catch (FrameFormatException e) {
        throw withFrame(e, i, frames.size());
      }
      if (total > limits.maxRequestPixels()) {
        throw new PayloadTooLargeException("the request's frames declare more than " + total
            + " pixels by frame " + i + " of " + frames.size() + ", more than maxRequestPixels "
            + limits.maxRequestPixels());
      }
    }
    return total;
  }

  private static FrameFormatException withFrame(FrameFormatException e, int i, int n) {
    String m = "frame " + i + " of " + n + " " + e.getMessage();
    FrameFormatException out;
    if (e instanceof PayloadTooLargeException) {
      out = new PayloadTooLargeException(m);
    } else if (e instanceof CorruptPayloadException) {
      out = new CorruptPayloadException(m, e);
    } else if (e instanceof org.framecodec.UnsupportedPayloadException) {
      out = new org.framecodec.UnsupportedPayloadException(m);
    } else {
      out = new FrameFormatException(m, e);
    }
    if (out.getCause() == null) {
      out.initCause(e);
    }
    return out;
  }
}
