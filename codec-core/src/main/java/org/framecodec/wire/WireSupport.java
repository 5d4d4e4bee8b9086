package org.framecodec.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegHeaders;
import org.framecodec.codec.JpegInfo;
import org.framecodec.codec.JpegMode;

/** Steps the readers share: frames from bare JPEG payloads, bounded stream reads, error context. */
final class WireSupport {
  private WireSupport() {}

  /**
   * A frame for a bare JPEG payload (no envelope): size and channels from its header, the given
   * mode, no quality, timestamp or stream id. Checks the payload and pixel limits first. A
   * one-component JPEG is {@link JpegMode#GRAY} whatever mode is given: the colour modes need
   * three components, so gray is the only reading of it that decodes.
   */
  static EncodedFrame bareFrame(byte[] jpeg, int offset, int length, JpegMode mode, Limits limits) {
    limits.checkPayloadBytes(length);
    if (length == 0) {
      throw new CorruptPayloadException("empty payload: no JPEG to read");
    }
    JpegInfo info = JpegHeaders.read(jpeg, offset, length);
    limits.checkPixels(info.width(), info.height());
    return EncodedFrame.builder().payload(jpeg, offset, length).size(info.width(), info.height())
        .channels(info.components()).mode(info.components() == 1 ? JpegMode.GRAY : mode).build();
  }

  /**
   * Reads a stream to its end into a new array, failing as soon as it passes {@code max} bytes,
   * so a lying or endless sender costs at most {@code max} bytes plus one read buffer.
   */
  static byte[] readBounded(InputStream in, long max) {
    byte[] buf = new byte[8192];
    int n = 0;
    try {
      while (true) {
        if (n == buf.length) {
          long grown = Math.min((long) buf.length * 2, Math.min(max + 1, Integer.MAX_VALUE - 8));
          if (grown <= buf.length) {
            throw new PayloadTooLargeException("document of more than " + max
                + " bytes exceeds the limit of " + max);
          }
          buf = Arrays.copyOf(buf, (int) grown);
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
        n += r;
        if (n > max) {
          throw new PayloadTooLargeException("document of more than " + max
              + " bytes exceeds the limit of " + max);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the message", e);
    }
  }

  /**
   * A stream that fails with {@link PayloadTooLargeException} as soon as more than {@code max}
   * bytes have been read through it, for parsers that check lengths only now and then.
   */
  static InputStream limited(InputStream in, long max) {
    return new java.io.FilterInputStream(in) {
      private long count;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          counted(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          counted(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
      }

      private void counted(long n) {
        count += n;
        if (count > max) {
          throw new PayloadTooLargeException("document of more than " + max
              + " bytes exceeds the limit of " + max);
        }
      }
    };
  }

  /** The same kind of exception with {@code context} before its message and the original as cause. */
  static FrameFormatException withContext(FrameFormatException e, String context) {
    String m = context + ": " + e.getMessage();
    FrameFormatException out;
    if (e instanceof PayloadTooLargeException) {
      out = new PayloadTooLargeException(m);
    } else if (e instanceof UnsupportedPayloadException) {
      out = new UnsupportedPayloadException(m);
    } else if (e instanceof CorruptPayloadException) {
      return new CorruptPayloadException(m, e);
    } else {
      return new FrameFormatException(m, e);
    }
    out.initCause(e);
    return out;
  }
}
