package org.framecodec.stream;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVFMTCTX_NOHEADER;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One open connection to a source: FFmpeg's demuxer, the video decoder, and a scaler to packed
 * BGR. {@link #next()} yields the next decoded video frame or the next audio packet, untouched.
 *
 * <p>Timestamps come from the container ({@code best_effort_timestamp}, in microseconds);
 * nothing here reads a wall clock. Every blocking FFmpeg call runs under the {@link Interrupter}'s
 * deadline: {@code openTimeout} for opening and probing, {@code readTimeout} per read.
 *
 * <p>Not thread-safe: one reader thread opens, reads and closes it; only {@link #abort()} may be
 * called from elsewhere. {@link #close()} frees every native object and is idempotent.
 */
final class FfmpegInput implements AutoCloseable {
  enum Kind { VIDEO, AUDIO, END }

  private final SourceOptions options;
  private final Interrupter interrupter;
  private AVFormatContext fmt;
  private AVCodecContext decoder;
  private final int videoIndex;
  private final int audioIndex;
  private final int videoTbNum;
  private final int videoTbDen;
  private final int audioTbNum;
  private final int audioTbDen;
  private final double frameRate;
  private final String codecName;
  private AVPacket packet;
  private AVFrame frame;
  private SwsContext sws;
  private final PointerPointer<?> dstData = new PointerPointer<>(4);
  private final IntPointer dstLinesize = new IntPointer(4);
  private boolean decoderHasFrames;
  private boolean draining;
  private boolean finished;
  private int consecutiveDecodeErrors;
  private long decodeErrors;
  private long lastVideoPts = Long.MIN_VALUE;
  private long frameDurationMicros;
  private AVPacket audioOut;
  /** A video packet read while opening, to be decoded first; null when none. */
  private AVPacket firstVideo;

  private FfmpegInput(SourceOptions options, Interrupter interrupter, AVFormatContext fmt,
      AVCodecContext decoder, int videoIndex, int audioIndex) {
    this.options = options;
    this.interrupter = interrupter;
    this.fmt = fmt;
    this.decoder = decoder;
    this.videoIndex = videoIndex;
    this.audioIndex = audioIndex;
    AVStream vs = fmt.streams(videoIndex);
    this.videoTbNum = vs.time_base().num();
    this.videoTbDen = vs.time_base().den();
    AVRational rate = vs.avg_frame_rate().num() > 0 && vs.avg_frame_rate().den() > 0
        ? vs.avg_frame_rate() : vs.r_frame_rate();
    this.frameRate = rate.num() > 0 && rate.den() > 0 ? (double) rate.num() / rate.den() : 0;
    this.frameDurationMicros = frameRate > 0 ? Math.round(1e6 / frameRate) : 40_000;
    this.codecName = avcodec_get_name(vs.codecpar().codec_id()).getString();
    if (audioIndex >= 0) {
      AVStream as = fmt.streams(audioIndex);
      this.audioTbNum = as.time_base().num();
      this.audioTbDen = as.time_base().den();
    } else {
      this.audioTbNum = 0;
      this.audioTbDen = 1;
    }
    this.packet = av_packet_alloc();
    this.frame = av_frame_alloc();
  }

  /**
   * Opens {@code options.url()}: demuxer, stream probe, video decoder.
   *
   * @throws SourceTimeoutException when opening takes longer than the open timeout
   * @throws UnsupportedStreamException when there is no video stream or no decoder for it
   * @throws CorruptStreamException when the container cannot be parsed
   * @throws StreamException for any other failure to open (unreachable, refused, not found)
   */
  static FfmpegInput open(SourceOptions options, Interrupter interrupter) {
    Ffmpeg.load();
    String url = options.url();
    AVFormatContext fmt = avformat_alloc_context();
    fmt.interrupt_callback(interrupter.struct());
    Map<String, String> opts = new LinkedHashMap<>();
    if (options.isNetwork()) {
      long micros = TimeUnit.NANOSECONDS.toMicros(options.readTimeout().toNanos());
      opts.put("rw_timeout", Long.toString(micros));
      if (url.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
        opts.put("timeout", Long.toString(micros));
      }
      // FFmpeg probes 5 s of a stream by default before the first frame comes out; a live
      // source wants to start sooner. A stream that shows its video later is waited for below.
      opts.put("analyzeduration", "1000000");
    }
    opts.putAll(options.ffmpegOptions());
    AVDictionary dict = Ffmpeg.dictionary(opts);
    AVInputFormat forced = null;
    if (options.format().isPresent()) {
      forced = av_find_input_format(options.format().get());
      if (forced == null) {
        av_dict_free(dict);
        fmt.close();
        throw new IllegalArgumentException("FFmpeg has no demuxer named '" + options.format().get() + "'");
      }
    }
    interrupter.arm(options.openTimeout().toNanos());
    int ret = avformat_open_input(fmt, url, forced, dict);
    av_dict_free(dict);
    if (ret < 0) {
      // avformat_open_input frees a user-supplied context on failure.
      throw openFailure(options, interrupter, "cannot open", ret);
    }
    AVCodecContext decoder = null;
    try {
      ret = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
      if (ret < 0) {
        throw openFailure(options, interrupter, "cannot read the stream headers of", ret);
      }
      int video = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      AVPacket first = null;
      if (video < 0 && (fmt.ctx_flags() & AVFMTCTX_NOHEADER) != 0 && options.isNetwork()) {
        // Streams of this container appear with their first packet (FLV from an RTMP server
        // sends audio at once and video from the next key frame): wait for the video, within
        // the open timeout, and keep its first packet for the decoder.
        first = awaitVideoPacket(fmt, options, interrupter);
        video = first.stream_index();
      }
      if (video < 0) {
        throw new UnsupportedStreamException(url + " has no video stream (" + describeStreams(fmt) + ")");
      }
      AVCodecParameters par = fmt.streams(video).codecpar();
      AVCodec codec = avcodec_find_decoder(par.codec_id());
      if (codec == null || codec.isNull()) {
        throw new UnsupportedStreamException(url + ": FFmpeg has no decoder for its video codec '"
            + avcodec_get_name(par.codec_id()).getString() + "' (codec id " + par.codec_id() + ")");
      }
      decoder = avcodec_alloc_context3(codec);
      if (avcodec_parameters_to_context(decoder, par) < 0) {
        throw new StreamException(url + ": cannot configure the " + codec.name().getString() + " decoder");
      }
      decoder.thread_count(options.decoderThreads());
      decoder.pkt_timebase(fmt.streams(video).time_base());
      ret = avcodec_open2(decoder, codec, (AVDictionary) null);
      if (ret < 0) {
        throw new UnsupportedStreamException(url + ": cannot open the " + codec.name().getString()
            + " decoder: " + Ffmpeg.errorText(ret));
      }
      int audio = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, video, (AVCodec) null, 0);
      interrupter.disarm();
      FfmpegInput in = new FfmpegInput(options, interrupter, fmt, decoder, video, Math.max(audio, -1));
      in.firstVideo = first;
      return in;
    } catch (RuntimeException e) {
      interrupter.disarm();
      if (decoder != null) {
        avcodec_free_context(decoder);
      }
      avformat_close_input(fmt);
      throw e;
    }
  }

  /** Reads until the first packet of a video stream; frees everything before it. */
  private static AVPacket awaitVideoPacket(AVFormatContext fmt, SourceOptions options,
      Interrupter interrupter) {
    AVPacket p = av_packet_alloc();
    while (true) {
      int ret = av_read_frame(fmt, p);
      if (ret < 0) {
        av_packet_free(p);
        if (ret == AVERROR_EOF()) {
          throw new UnsupportedStreamException(options.url() + " has no video stream ("
              + describeStreams(fmt) + ")");
        }
        throw openFailure(options, interrupter, "no video arrived from", ret);
      }
      if (fmt.streams(p.stream_index()).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
        return p;
      }
      av_packet_unref(p);
    }
  }

  private static RuntimeException openFailure(SourceOptions options, Interrupter interrupter,
      String what, int ret) {
    interrupter.disarm();
    String url = options.url();
    if (ret == AVERROR_EXIT() && interrupter.timedOut()) {
      return new SourceTimeoutException(what + " " + url + " within the open timeout of "
          + options.openTimeout().toMillis() + " ms");
    }
    if (ret == AVERROR_EXIT() && interrupter.aborted()) {
      return new StreamException(what + " " + url + ": stopped");
    }
    if (ret == AVERROR_INVALIDDATA() && !options.isNetwork()) {
      return new CorruptStreamException(url + " is not a media file FFmpeg can parse: "
          + Ffmpeg.errorText(ret));
    }
    return new StreamException(what + " " + url + ": " + Ffmpeg.errorText(ret));
  }

  private static String describeStreams(AVFormatContext fmt) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fmt.nb_streams(); i++) {
      AVCodecParameters p = fmt.streams(i).codecpar();
      sb.append(i == 0 ? "" : ", ").append(mediaType(p.codec_type())).append(' ')
          .append(avcodec_get_name(p.codec_id()).getString());
    }
    return sb.length() == 0 ? "no streams at all" : "streams: " + sb;
  }

  private static String mediaType(int t) {
    return t == AVMEDIA_TYPE_VIDEO ? "video" : t == AVMEDIA_TYPE_AUDIO ? "audio" : "other(" + t + ")";
  }


  /** Frames per second the container declares, 0 when unknown. */
  double frameRate() {
    return frameRate;
  }

  long frameDurationMicros() {
    return frameDurationMicros;
  }

  String codecName() {
    return codecName;
  }

  boolean hasAudio() {
    return audioIndex >= 0;
  }

  /** The audio stream's parameters, owned by this input (valid until {@link #close()}); null without audio. */
  AVCodecParameters audioParameters() {
    return audioIndex >= 0 ? fmt.streams(audioIndex).codecpar() : null;
  }

  int audioTbNum() {
    return audioTbNum;
  }

  int audioTbDen() {
    return audioTbDen;
  }

  long decodeErrors() {
    return decodeErrors;
  }

  /** Ends a blocked read from another thread; the reader then sees a {@link StreamException}. */
  void abort() {
    interrupter.abort();
  }

  /**
   * Reads until a video frame is decoded ({@link Kind#VIDEO}: see {@link #framePtsMicros()} and
   * {@link #convertTo}), an audio packet arrives ({@link Kind#AUDIO}: take it with {@link
   * #takeAudio()}), or the input ends ({@link Kind#END}, after the decoder is drained).
   *
   * @throws SourceTimeoutException when a read waits longer than the read timeout
   * @throws CorruptStreamException after too many undecodable packets in a row
   * @throws StreamException on an I/O error, or when aborted
   */
  Kind next() {
    checkOpen();
    while (true) {
      if (decoderHasFrames) {
        int r = avcodec_receive_frame(decoder, frame);
        if (r == 0) {
          consecutiveDecodeErrors = 0;
          return Kind.VIDEO;
        }
        decoderHasFrames = false;
        if (r == AVERROR_EOF()) {
          finished = true;
          return Kind.END;
        }
        if (r != Ffmpeg.EAGAIN) {
          decodeFailed(r);
        }
      }
      if (finished) {
        return Kind.END;
      }
      if (draining) {
        // Flush packet sent and everything received: the decoder is empty.
        finished = true;
        return Kind.END;
      }
      if (firstVideo != null) {
        int s = avcodec_send_packet(decoder, firstVideo);
        av_packet_free(firstVideo);
        firstVideo = null;
        if (s < 0 && s != Ffmpeg.EAGAIN) {
          decodeFailed(s);
        } else {
          decoderHasFrames = true;
        }
        continue;
      }
      interrupter.arm(options.readTimeout().toNanos());
      int ret = av_read_frame(fmt, packet);
      interrupter.disarm();
      if (ret == AVERROR_EOF()) {
        draining = true;
        avcodec_send_packet(decoder, null);
        decoderHasFrames = true;
        continue;
      }
      if (ret < 0) {
        throw readFailure(ret);
      }
      try {
        int index = packet.stream_index();
        if (index == videoIndex) {
          int s = avcodec_send_packet(decoder, packet);
          if (s < 0 && s != Ffmpeg.EAGAIN) {
            decodeFailed(s);
            continue;
          }
          decoderHasFrames = true;
        } else if (index == audioIndex && packet.size() > 0) {
          audioOut = av_packet_clone(packet);
          return Kind.AUDIO;
        }
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  private RuntimeException readFailure(int ret) {
    if (ret == AVERROR_EXIT() && interrupter.aborted()) {
      return new StreamException("reading " + options.url() + ": stopped");
    }
    if (ret == AVERROR_EXIT() || interrupter.timedOut()) {
      return new SourceTimeoutException(options.url() + " sent nothing for "
          + options.readTimeout().toMillis() + " ms (the read timeout)");
    }
    return new StreamException("reading " + options.url() + " failed: " + Ffmpeg.errorText(ret));
  }

  private void decodeFailed(int code) {
    decodeErrors++;
    consecutiveDecodeErrors++;
    if (consecutiveDecodeErrors >= options.maxConsecutiveDecodeErrors()) {
      throw new CorruptStreamException(options.url() + ": " + consecutiveDecodeErrors
          + " video packets in a row could not be decoded, the last with " + Ffmpeg.errorText(code));
    }
  }

  /** The last decoded frame's presentation time in microseconds, from the container. */
  long framePtsMicros() {
    long ts = frame.best_effort_timestamp();
    long micros;
    if (ts == AV_NOPTS_VALUE) {
      micros = lastVideoPts == Long.MIN_VALUE ? 0 : lastVideoPts + frameDurationMicros;
    } else {
      micros = Ffmpeg.toMicros(ts, videoTbNum, videoTbDen);
    }
    lastVideoPts = micros;
    return micros;
  }

  int frameWidth() {
    return frame.width();
  }

  int frameHeight() {
    return frame.height();
  }

  /** Converts the last decoded frame to packed BGR in {@code dst}, sized to the frame. */
  void convertTo(FrameBuffer dst) {
    int w = frame.width();
    int h = frame.height();
    int format = frame.format();
    if (w <= 0 || h <= 0 || format == AV_PIX_FMT_NONE) {
      throw new CorruptStreamException(options.url() + ": the decoder returned a frame of "
          + w + "x" + h + " in pixel format " + format);
    }
    dst.ensure(w, h);
    sws = sws_getCachedContext(sws, w, h, format, w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR, null, null,
        (double[]) null);
    if (sws == null || sws.isNull()) {
      throw new UnsupportedStreamException(options.url() + ": cannot convert pixel format " + format
          + " to BGR");
    }
    int space = frame.colorspace();
    IntPointer coefficients = sws_getCoefficients(space == AVCOL_SPC_UNSPECIFIED ? SWS_CS_DEFAULT : space);
    boolean fullRange = frame.color_range() == AVCOL_RANGE_JPEG;
    sws_setColorspaceDetails(sws, coefficients, fullRange ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16);
    dstData.put(0, dst.pointer());
    dstLinesize.put(0, dst.stride());
    sws_scale(sws, frame.data(), frame.linesize(), 0, h, dstData, dstLinesize);
    av_frame_unref(frame);
  }

  /** Drops the last decoded frame without converting it. */
  void skipFrame() {
    av_frame_unref(frame);
  }

  /** The audio packet {@link #next()} returned; the caller owns and frees it. */
  AVPacket takeAudio() {
    AVPacket p = audioOut;
    audioOut = null;
    return p;
  }

  private void checkOpen() {
    if (fmt == null) {
      throw new IllegalStateException("the input " + options.url() + " is closed");
    }
  }

  @Override
  public void close() {
    if (fmt == null) {
      return;
    }
    if (audioOut != null) {
      av_packet_free(audioOut);
      audioOut = null;
    }
    if (firstVideo != null) {
      av_packet_free(firstVideo);
      firstVideo = null;
    }
    av_packet_free(packet);
    av_frame_free(frame);
    avcodec_free_context(decoder);
    avformat_close_input(fmt);
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    dstData.close();
    dstLinesize.close();
    fmt = null;
  }
}
