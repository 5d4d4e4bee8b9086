package org.framecodec.detect;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegInfo;

/**
 * What the {@link GpuDecodeLane} needs of a decoder: decode a block of payloads into consecutive
 * slots of a host input tensor. {@link NvJpegDecoder} is the one the detector uses; the seam lets
 * the lane's scheduling be tested on machines without a GPU.
 *
 * <p>Implementations need not be thread-safe: the lane confines each to one thread.
 */
interface GpuBlockDecoder extends AutoCloseable {
  /** {@return the {@code NVJPEG_BACKEND_*} value it runs} */
  int backend();

  /** {@return what runs, for {@link DetectorInfo}} */
  String description();

  /**
   * Decodes items {@code [0, count)} of {@code frames} (whose headers the caller has read into
   * {@code infos}) into the first {@code count} slots from {@code host}'s position on, and sets
   * {@code placements[at .. at + count)}.
   *
   * @throws NvJpegDecoder.GpuDecodeException when the device refuses the block; the caller then
   *     decodes it on the CPU
   */
  void decode(EncodedFrame[] frames, JpegInfo[] infos, int count, FloatPointer host,
      Letterbox[] placements, int at);

  /**
   * Page-locks {@code bytes} of host memory at {@code memory} for the device's copies into it;
   * false if that is refused or not needed. Each success is undone by {@link #unpin}.
   */
  boolean pin(Pointer memory, long bytes);

  /** Undoes a successful {@link #pin}. */
  void unpin(Pointer memory);

  /** Frees what the decoder holds. */
  @Override
  void close();
}
