package org.framecodec.wire;

import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/** Real JPEG payloads for framing tests, made by the TurboJPEG backend from a gradient. */
final class TestJpegs {
  private TestJpegs() {}

  /** A colour ({@code cv2-yuv} q80) or grayscale ({@code gray} q80) JPEG of the given size. */
  static byte[] jpeg(int width, int height, boolean colour) {
    PixelFormat format = colour ? PixelFormat.BGR : PixelFormat.GRAY;
    Frame frame = Frame.allocate(format, width, height);
    byte[] px = frame.array();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7 + i / (width * format.bytesPerPixel()) * 3);
    }
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      return codec.encode(frame, colour ? EncodeOptions.cv2Yuv(80) : EncodeOptions.gray(80));
    }
  }
}
