package org.framecodec.oip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Input tensors made from a batch of {@link EncodedFrame}s, the two ways an inference server
 * takes images:
 * <ul>
 *   <li>{@link #jpegs}: the payloads as they are, one {@link Datatype#BYTES} tensor of shape
 *       {@code [N]}, for servers that decode (a Triton ensemble with a DALI or Python decode step,
 *       OpenVINO Model Server, our receiver). JPEG bytes pass intact, in binary data or gRPC raw
 *       contents; in REST JSON they go as base64 strings with {@code "content_type": "base64"}.
 *       The frames' {@link JpegMode} travels as the parameter {@value #JPEG_MODE} (one mode) or
 *       {@value #JPEG_MODES} (a comma-separated list, when the batch mixes modes), since a
 *       {@code cv2-yuv} payload cannot be told from a standard JPEG by its bytes;</li>
 *   <li>{@link #pixels}: decoded here into one {@link Datatype#UINT8} tensor of shape
 *       {@code [N, H, W, C]}, row-major, no padding, for models that take pixels.</li>
 * </ul>
 * Stateless and thread-safe; the tensors own new arrays.
 */
public final class FrameTensors {
  /** Parameter naming the JPEG mode of every element: {@code cv2-yuv}, {@code ycbcr} or {@code gray}. */
  public static final String JPEG_MODE = "jpeg_mode";
  /** Parameter naming each element's JPEG mode, comma-separated, for a batch that mixes them. */
  public static final String JPEG_MODES = "jpeg_modes";

  private FrameTensors() {}

  /**
   * The payloads as a BYTES tensor {@code [N]} named {@code name}.
   *
   * @param name the tensor name, e.g. {@value DetectorTensors#INPUT}
   * @param frames the frames, at least one
   * @param base64Json mark the tensor {@code "content_type": "base64"}, for REST JSON, where BYTES
   *     elements are strings; leave it off for binary data and gRPC
   * @return the tensor, owning a new array
   * @throws IllegalArgumentException when {@code frames} is empty
   */
  public static InferTensor jpegs(String name, List<EncodedFrame> frames, boolean base64Json) {
    Objects.requireNonNull(frames, "frames");
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames to send");
    }
    long total = 0;
    for (EncodedFrame f : frames) {
      total += 4L + f.payloadLength();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a batch of " + total + " bytes does not fit one tensor");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    for (EncodedFrame f : frames) {
      b.putInt(f.payloadLength()).put(f.payloadArray(), f.payloadOffset(), f.payloadLength());
    }
    InferTensor t = InferTensor.of(name, Datatype.BYTES, new long[] {frames.size()}, b.array());
    t = modeParameter(t, frames);
    return base64Json ? t.withParameter(Parameters.CONTENT_TYPE, "base64") : t;
  }

  private static InferTensor modeParameter(InferTensor t, List<EncodedFrame> frames) {
    JpegMode first = frames.get(0).mode();
    if (frames.stream().allMatch(f -> f.mode() == first)) {
      return t.withParameter(JPEG_MODE, first.wireName());
    }
    StringBuilder modes = new StringBuilder();
    for (EncodedFrame f : frames) {
      modes.append(modes.length() == 0 ? "" : ",").append(f.mode().wireName());
    }
    return t.withParameter(JPEG_MODES, modes.toString());
  }

  /**
   * The frames decoded with {@code codec} into one UINT8 tensor {@code [N, H, W, C]} of {@code
   * format} ({@code BGR}, {@code RGB} or {@code GRAY}, C = 3, 3, 1), decoding straight into the
   * tensor's array.
   *
   * @param name the tensor name
   * @param frames the frames, at least one, all of one size
   * @param codec decodes the payloads; used from the calling thread
   * @param format {@code BGR}, {@code RGB} or {@code GRAY}
   * @return the tensor, owning a new array
   * @throws IllegalArgumentException when {@code frames} is empty, the frames differ in size, or
   *     the format is planar
   * @throws org.framecodec.FrameFormatException when a payload cannot be decoded or lies about its shape
   */
  public static InferTensor pixels(String name, List<EncodedFrame> frames, JpegCodec codec, PixelFormat format) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(codec, "codec");
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames to send");
    }
    if (format != PixelFormat.BGR && format != PixelFormat.RGB && format != PixelFormat.GRAY) {
      throw new IllegalArgumentException("pixels go as BGR, RGB or GRAY, not " + format);
    }
    int w = frames.get(0).width();
    int h = frames.get(0).height();
    for (EncodedFrame f : frames) {
      if (f.width() != w || f.height() != h) {
        throw new IllegalArgumentException("a UINT8 tensor needs frames of one size; got " + w + "x" + h
            + " and " + f.width() + "x" + f.height());
      }
    }
    int c = format.channels();
    long frameBytes = (long) w * h * c;
    long total = frameBytes * frames.size();
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(frames.size() + " frames of " + w + "x" + h + "x" + c
          + " = " + total + " bytes do not fit one tensor; send smaller batches");
    }
    byte[] data = new byte[(int) total];
    for (int i = 0; i < frames.size(); i++) {
      Frame dst = Frame.wrap(data, (int) (i * frameBytes), w * c, format, w, h);
      codec.decodeInto(frames.get(i), dst);
    }
    return InferTensor.of(name, Datatype.UINT8, new long[] {frames.size(), h, w, c}, data);
  }
}
