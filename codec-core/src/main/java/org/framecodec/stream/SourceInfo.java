package org.framecodec.stream;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;

/**
 * What the sink needs to know about a source, taken from its first connection's first decoded
 * frame: picture size, frame rate, and a copy of the audio stream's parameters (owned here, so that the source may
 * reconnect while the sink is opened). Later connections must match the audio format for their
 * audio to be passed through. Freed once by {@link #free()}; not thread-safe.
 */
final class SourceInfo {
  final int width;
  final int height;
  final double fps;
  final long frameDurationMicros;
  final int audioTbNum;
  final int audioTbDen;
  private AVCodecParameters audio;

  SourceInfo(FfmpegInput input, int width, int height) {
    this.width = width;
    this.height = height;
    this.fps = input.frameRate();
    this.frameDurationMicros = input.frameDurationMicros();
    this.audioTbNum = input.audioTbNum();
    this.audioTbDen = input.audioTbDen();
    if (input.hasAudio()) {
      audio = avcodec_parameters_alloc();
      if (avcodec_parameters_copy(audio, input.audioParameters()) < 0) {
        avcodec_parameters_free(audio);
        audio = null;
      }
    }
  }

  /** The audio parameters, or null when the source has no audio. */
  AVCodecParameters audio() {
    return audio;
  }

  /** Whether {@code input}'s audio can be written to a stream made from these parameters. */
  boolean audioMatches(FfmpegInput input) {
    if (audio == null || !input.hasAudio()) {
      return false;
    }
    AVCodecParameters p = input.audioParameters();
    return p.codec_id() == audio.codec_id() && p.sample_rate() == audio.sample_rate()
        && p.ch_layout().nb_channels() == audio.ch_layout().nb_channels();
  }

  void free() {
    if (audio != null) {
      avcodec_parameters_free(audio);
      audio = null;
    }
  }
}
