package org.framecodec.stream;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * One compressed audio packet taken from a source, untouched, with the time base its timestamps
 * are in and its presentation time in microseconds (after any reconnection offset). Owns the
 * native packet until {@link #free()}; the sink copies it into the output. Not thread-safe;
 * handed from the reader to the writer through the channel's lock.
 */
final class AudioPacket {
  private AVPacket packet;
  final int tbNum;
  final int tbDen;
  final long ptsMicros;
  /** Added to every timestamp of the packet: keeps time moving forward across reconnections. */
  final long offsetMicros;

  AudioPacket(AVPacket packet, int tbNum, int tbDen, long ptsMicros, long offsetMicros) {
    this.packet = packet;
    this.tbNum = tbNum;
    this.tbDen = tbDen;
    this.ptsMicros = ptsMicros;
    this.offsetMicros = offsetMicros;
  }

  AVPacket packet() {
    return packet;
  }

  void free() {
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
  }
}
