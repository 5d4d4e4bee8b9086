package org.framecodec.detect;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.DecodeScale;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegInfo;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * What one pipeline thread needs to put frames into the input tensor and read detections back:
 * its own JPEG codec, an {@link InputWriter}, a reused decode buffer and a candidate list.
 *
 * <p>An encoded frame is decoded at the coarsest {@link DecodeScale} that still covers twice the
 * area it will fill in the model input ({@link #COVER}), in the model's channel
 * order, into the reused buffer, and written into its tensor slot from there: no full-size frame,
 * and no allocation per frame once the buffer has grown. The header is read (and checked against
 * the {@link Limits}) before anything is decoded. A buffer grown past {@link #SHRINK_BYTES} for an
 * unusually large frame is dropped after use, so one such frame does not pin memory.
 *
 * <p><b>Not thread-safe</b>: confined to one thread. {@link #close()} frees the codec.
 */
final class FrameFiller implements AutoCloseable {
  /** Decode buffers above this are not kept between frames. */
  static final int SHRINK_BYTES = 16 << 20;
  /**
   * How much larger than the area it fills in the model input a scaled decode must be, per side.
   * At 1 the last resize step shrinks by less than 2, and the DCT's averaging (a box filter)
   * replaces the bilinear sampling the full-size path ends with; on a two-face scene that moved a
   * box to IoU 0.865 and a score by 0.042 against the full-size path. At 2 the last step shrinks
   * by 2 or more, as the full-size path's does, and every scene of ScaledDecodeAccuracyTest stays
   * within IoU 0.96 and 0.012; for 1080p into 128x128 it means 1/4 (480x270) instead of 1/8.
   */
  static final int COVER = 2;

  private final JpegCodec codec;
  private final InputWriter writer;
  private final boolean scaled;
  private final List<Detection> candidates = new ArrayList<>();
  private byte[] scratch = new byte[0];

  FrameFiller(InputSpec spec, CodecBackend backend, Limits limits, boolean scaled) {
    this.writer = new InputWriter(spec);
    this.codec = JpegCodec.open(backend, limits);
    this.scaled = scaled;
  }

  /**
   * Decodes {@code frame} into slot {@code slot} of {@code tensor}; returns where it landed and
   * adds the time spent decoding and writing to {@code times[0]} and {@code times[1]}.
   */
  Letterbox fill(EncodedFrame frame, FloatBuffer tensor, int slot, int[] size, long[] times) {
    long t0 = System.nanoTime();
    JpegInfo info = codec.readHeader(frame);
    InputSpec spec = writer.spec();
    Letterbox lb = Letterbox.of(info.width(), info.height(), spec);
    DecodeScale scale = scaled
        ? DecodeScale.coarsestCovering(info.width(), info.height(), COVER * lb.resizedWidth(),
            COVER * lb.resizedHeight())
        : DecodeScale.FULL;
    PixelFormat format = info.components() == 1 && frame.mode() != JpegMode.CV2_YUV
        ? PixelFormat.GRAY : spec.channelOrder();
    int w = scale.scale(info.width());
    int h = scale.scale(info.height());
    int stride = w * format.bytesPerPixel();
    long bytes = (long) stride * h;
    if (scratch.length < bytes) {
      // The header passed the pixel limit, so this is bounded by maxPixels * 3.
      scratch = new byte[(int) bytes];
    }
    Frame image = Frame.wrap(scratch, 0, stride, format, w, h);
    codec.decodeInto(frame, scale, image);
    long t1 = System.nanoTime();
    writer.write(image, info.width(), info.height(), tensor, slot);
    if (scratch.length > SHRINK_BYTES) {
      scratch = new byte[0];
    }
    times[0] += t1 - t0;
    times[1] += System.nanoTime() - t1;
    size[0] = info.width();
    size[1] = info.height();
    return lb;
  }

  /** The header of {@code frame}, checked against the limits and its declared shape. */
  JpegInfo header(EncodedFrame frame) {
    return codec.readHeader(frame);
  }

  /** Writes a decoded frame into slot {@code slot}; adds the time to {@code times[1]}. */
  Letterbox fill(Frame frame, FloatBuffer tensor, int slot, long[] times) {
    long t0 = System.nanoTime();
    Letterbox lb = writer.write(frame, frame.width(), frame.height(), tensor, slot);
    times[1] += System.nanoTime() - t0;
    return lb;
  }

  /**
   * Decodes item {@code item} of the outputs, maps its boxes back to its frame of
   * {@code width x height} and applies NMS.
   */
  List<Detection> detections(OutputDecoder decoder, List<Tensor> outputs, int item, Letterbox lb,
      int width, int height, NmsOptions nms) {
    candidates.clear();
    decoder.decode(outputs, item, nms.scoreThreshold(), candidates);
    for (int i = 0; i < candidates.size(); i++) {
      candidates.set(i, lb.toFrame(candidates.get(i), width, height));
    }
    return Nms.apply(candidates, nms);
  }

  @Override
  public void close() {
    codec.close();
  }
}
