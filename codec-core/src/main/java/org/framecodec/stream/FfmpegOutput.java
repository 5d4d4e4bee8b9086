package org.framecodec.stream;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One output: an H.264 encoder fed with BGR frames, and a muxer that also takes the source's
 * audio packets as they are. Video timestamps are the source's presentation times; audio packets
 * keep theirs, rescaled only to the output stream's time base, so audio and video stay as aligned
 * as they were in the input.
 *
 * <p>The picture size is fixed at open time (even numbers, as 4:2:0 needs); frames of another
 * size, from a source that changed resolution, are scaled to it. Every blocking call (open,
 * header, each write, trailer) runs under the {@link Interrupter} with {@link
 * SinkOptions#writeTimeout()}.
 *
 * <p>Not thread-safe: one writer thread owns it. {@link #close()} writes the trailer if the
 * output was started and not yet finished (so a file cut short still plays), frees everything,
 * and is idempotent.
 */
final class FfmpegOutput implements AutoCloseable {
  /** Encoder clock: the MPEG 90 kHz clock, fine enough for any frame rate and any µs pts. */
  private static final int ENCODER_TB_DEN = 90_000;

  private final SinkOptions options;
  private final Interrupter interrupter;
  private AVFormatContext oc;
  private AVCodecContext encoder;
  private AVStream videoStream;
  private AVStream audioStream;
  private final int width;
  private final int height;
  private final AVRational encoderTb = Ffmpeg.rational(1, ENCODER_TB_DEN);
  private AVFrame yuv;
  private AVPacket packet;
  private SwsContext sws;
  private final PointerPointer<?> srcData = new PointerPointer<>(4);
  private final IntPointer srcLinesize = new IntPointer(4);
  private long lastVideoPts = Long.MIN_VALUE;
  private long lastKeyPts = Long.MIN_VALUE;
  private long gopTicks;
  private long lastAudioDts = Long.MIN_VALUE;
  private boolean headerWritten;
  private boolean finished;
  private long droppedAudio;
  private String audioNote;

  private FfmpegOutput(SinkOptions options, Interrupter interrupter, int width, int height) {
    this.options = options;
    this.interrupter = interrupter;
    this.width = width;
    this.height = height;
  }

  /**
   * Opens the output and writes its header.
   *
   * @param audio the source's audio parameters (copied now), or null for no audio
   * @throws SinkException when the muxer, encoder or destination cannot be opened
   */
  static FfmpegOutput open(SinkOptions options, Interrupter interrupter, int frameWidth,
      int frameHeight, double fps, AVCodecParameters audio, int audioTbNum, int audioTbDen) {
    Ffmpeg.load();
    int w = Math.max(2, frameWidth & ~1);
    int h = Math.max(2, frameHeight & ~1);
    FfmpegOutput out = new FfmpegOutput(options, interrupter, w, h);
    try {
      out.start(fps, audio, audioTbNum, audioTbDen);
      return out;
    } catch (RuntimeException e) {
      out.finished = true;
      out.close();
      throw e;
    }
  }

  private void start(double fps, AVCodecParameters audio, int audioTbNum, int audioTbDen) {
    String url = options.url();
    oc = new AVFormatContext(null);
    int ret = avformat_alloc_output_context2(oc, null, options.format().orElse(null), url);
    if (ret < 0 || oc.isNull()) {
      oc = null;
      throw new SinkException("cannot choose a container for " + url
          + (options.format().isPresent() ? " (format " + options.format().get() + ")" : "")
          + ": " + Ffmpeg.errorText(ret) + "; name a format or use .mp4, .mkv, .ts, .flv, .m3u8 or rtmp://");
    }
    oc.interrupt_callback(interrupter.struct());
    AVCodec codec = avcodec_find_encoder_by_name(options.encoder());
    if (codec == null || codec.isNull()) {
      throw new SinkException("FFmpeg has no video encoder named '" + options.encoder() + "'");
    }
    encoder = avcodec_alloc_context3(codec);
    encoder.width(width);
    encoder.height(height);
    encoder.pix_fmt(AV_PIX_FMT_YUV420P);
    encoder.time_base(encoderTb);
    double rate = fps > 0 && fps < 1000 ? fps : 25;
    encoder.framerate(av_d2q(rate, 100_000));
    encoder.bit_rate(options.videoBitrate(width, height, rate));
    // Key frames are forced by time in writeVideo (live mode drops frames, so a GOP counted in
    // frames would stretch); the encoder's own GOP is only a backstop at twice that.
    encoder.gop_size((int) Math.max(1, Math.round(2 * options.gopSeconds() * rate)));
    gopTicks = Math.round(options.gopSeconds() * ENCODER_TB_DEN);
    encoder.max_b_frames(0);
    // BGR is converted with swscale's default BT.601 matrix in limited range: say so.
    encoder.colorspace(AVCOL_SPC_SMPTE170M);
    encoder.color_range(AVCOL_RANGE_MPEG);
    encoder.thread_count(0);
    if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary encOpts = Ffmpeg.dictionary(options.encoderOptions());
    ret = avcodec_open2(encoder, codec, encOpts);
    av_dict_free(encOpts);
    if (ret < 0) {
      throw new SinkException("cannot open the " + options.encoder() + " encoder at " + width + "x"
          + height + ": " + Ffmpeg.errorText(ret));
    }
    videoStream = avformat_new_stream(oc, null);
    if (videoStream == null || avcodec_parameters_from_context(videoStream.codecpar(), encoder) < 0) {
      throw new SinkException("cannot add a video stream to " + url);
    }
    videoStream.time_base(encoderTb);
    videoStream.avg_frame_rate(encoder.framerate());
    if (audio != null && options.copyAudio()) {
      int supported = avformat_query_codec(oc.oformat(), audio.codec_id(), 0);
      if (supported == 1) {
        audioStream = avformat_new_stream(oc, null);
        if (audioStream == null || avcodec_parameters_copy(audioStream.codecpar(), audio) < 0) {
          throw new SinkException("cannot add an audio stream to " + url);
        }
        audioStream.codecpar().codec_tag(0);
        audioStream.time_base(Ffmpeg.rational(audioTbNum, audioTbDen));
      } else {
        audioNote = "audio codec " + avcodec_get_name(audio.codec_id()).getString()
            + " cannot be stored in " + oc.oformat().name().getString() + "; output has no audio";
        System.getLogger(FfmpegOutput.class.getName()).log(System.Logger.Level.WARNING, url + ": " + audioNote);
      }
    }
    Map<String, String> muxOpts = new LinkedHashMap<>();
    if (options.isNetwork()) {
      muxOpts.put("rw_timeout", Long.toString(TimeUnit.NANOSECONDS.toMicros(options.writeTimeout().toNanos())));
    }
    muxOpts.putAll(options.ffmpegOptions());
    if ((oc.oformat().flags() & AVFMT_NOFILE) == 0) {
      AVIOContext pb = new AVIOContext(null);
      AVDictionary ioOpts = Ffmpeg.dictionary(muxOpts);
      interrupter.arm(options.writeTimeout().toNanos());
      ret = avio_open2(pb, url, AVIO_FLAG_WRITE, interrupter.struct(), ioOpts);
      interrupter.disarm();
      av_dict_free(ioOpts);
      if (ret < 0) {
        throw new SinkException("cannot open " + url + " for writing: " + reason(ret));
      }
      oc.pb(pb);
    }
    AVDictionary headerOpts = Ffmpeg.dictionary(muxOpts);
    interrupter.arm(options.writeTimeout().toNanos());
    ret = avformat_write_header(oc, headerOpts);
    interrupter.disarm();
    av_dict_free(headerOpts);
    if (ret < 0) {
      throw new SinkException("cannot write the header of " + url + ": " + reason(ret));
    }
    headerWritten = true;
    yuv = av_frame_alloc();
    yuv.format(AV_PIX_FMT_YUV420P);
    yuv.width(width);
    yuv.height(height);
    if (av_frame_get_buffer(yuv, 0) < 0) {
      throw new SinkException("cannot allocate a " + width + "x" + height + " picture");
    }
    packet = av_packet_alloc();
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  boolean hasAudio() {
    return audioStream != null;
  }

  /** Why the output has no audio although the source had some; null when nothing to say. */
  String audioNote() {
    return audioNote;
  }

  /** Audio packets not written because their time went backwards (after a reconnection). */
  long droppedAudio() {
    return droppedAudio;
  }

  /** Encodes one BGR frame shown at {@code ptsMicros} and writes what the encoder gives back. */
  void writeVideo(FrameBuffer frame, long ptsMicros) {
    checkOpen();
    sws = sws_getCachedContext(sws, frame.width(), frame.height(), AV_PIX_FMT_BGR24, width, height,
        AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (double[]) null);
    if (sws == null || sws.isNull()) {
      throw new SinkException("cannot scale " + frame.width() + "x" + frame.height() + " to " + width + "x" + height);
    }
    if (av_frame_make_writable(yuv) < 0) {
      throw new SinkException("cannot make the encoder's picture writable");
    }
    srcData.put(0, frame.pointer());
    srcLinesize.put(0, frame.stride());
    sws_scale(sws, srcData, srcLinesize, 0, frame.height(), yuv.data(), yuv.linesize());
    long pts = Ffmpeg.fromMicros(ptsMicros, 1, ENCODER_TB_DEN);
    if (lastVideoPts != Long.MIN_VALUE && pts <= lastVideoPts) {
      pts = lastVideoPts + 1;
    }
    lastVideoPts = pts;
    yuv.pts(pts);
    if (lastKeyPts == Long.MIN_VALUE || pts - lastKeyPts >= gopTicks) {
      yuv.pict_type(AV_PICTURE_TYPE_I);
      lastKeyPts = pts;
    } else {
      yuv.pict_type(AV_PICTURE_TYPE_NONE);
    }
    int ret = avcodec_send_frame(encoder, yuv);
    if (ret < 0) {
      throw new SinkException("the " + options.encoder() + " encoder refused a frame: " + Ffmpeg.errorText(ret));
    }
    drainEncoder();
  }

  private void drainEncoder() {
    while (true) {
      int ret = avcodec_receive_packet(encoder, packet);
      if (ret == Ffmpeg.EAGAIN || ret == AVERROR_EOF()) {
        return;
      }
      if (ret < 0) {
        throw new SinkException("the " + options.encoder() + " encoder failed: " + Ffmpeg.errorText(ret));
      }
      packet.stream_index(videoStream.index());
      av_packet_rescale_ts(packet, encoderTb, videoStream.time_base());
      write(packet);
    }
  }

  /**
   * Writes one of the source's audio packets with its own timestamps (plus its reconnection
   * offset); frees it in every case. Returns false when the output has no audio or the packet's
   * time would go backwards (counted in {@link #droppedAudio()}).
   */
  boolean writeAudio(AudioPacket audio) {
    try {
      checkOpen();
      if (audioStream == null) {
        return false;
      }
      AVPacket p = audio.packet();
      AVRational in = Ffmpeg.rational(audio.tbNum, audio.tbDen);
      AVRational out = audioStream.time_base();
      long offset = Ffmpeg.fromMicros(audio.offsetMicros, out.num(), out.den());
      long pts = p.pts() == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : av_rescale_q(p.pts(), in, out) + offset;
      long dts = p.dts() == AV_NOPTS_VALUE ? pts : av_rescale_q(p.dts(), in, out) + offset;
      if (dts == AV_NOPTS_VALUE || (lastAudioDts != Long.MIN_VALUE && dts <= lastAudioDts)) {
        droppedAudio++;
        return false;
      }
      lastAudioDts = dts;
      p.pts(pts);
      p.dts(dts);
      p.duration(av_rescale_q(p.duration(), in, out));
      p.pos(-1);
      p.stream_index(audioStream.index());
      write(p);
      return true;
    } finally {
      audio.free();
    }
  }

  private void write(AVPacket p) {
    interrupter.arm(options.writeTimeout().toNanos());
    int ret = av_interleaved_write_frame(oc, p);
    interrupter.disarm();
    av_packet_unref(p);
    if (ret < 0) {
      throw new SinkException("cannot write to " + options.url() + ": " + reason(ret));
    }
  }

  private String reason(int ret) {
    if (ret == AVERROR_EXIT() && interrupter.timedOut()) {
      return "no progress for " + options.writeTimeout().toMillis() + " ms (the write timeout)";
    }
    if (ret == AVERROR_EXIT() && interrupter.aborted()) {
      return "stopped";
    }
    return Ffmpeg.errorText(ret);
  }

  /** Flushes the encoder and writes the trailer; the output is complete afterwards. */
  void finish() {
    checkOpen();
    if (finished) {
      return;
    }
    finished = true;
    int ret = avcodec_send_frame(encoder, null);
    if (ret >= 0) {
      drainEncoder();
    }
    interrupter.arm(options.writeTimeout().toNanos());
    ret = av_write_trailer(oc);
    interrupter.disarm();
    if (ret < 0) {
      throw new SinkException("cannot finish " + options.url() + ": " + reason(ret));
    }
  }

  /** Makes every blocked or later call give up at once (from any thread). */
  void abort() {
    interrupter.abort();
  }

  private void checkOpen() {
    if (oc == null) {
      throw new IllegalStateException("the output " + options.url() + " is closed");
    }
  }

  @Override
  public void close() {
    if (oc == null && encoder == null) {
      return;
    }
    try {
      if (headerWritten && !finished && !interrupter.aborted()) {
        try {
          finish();
        } catch (RuntimeException e) {
          System.getLogger(FfmpegOutput.class.getName()).log(System.Logger.Level.WARNING,
              "cannot finish " + options.url() + " on close: " + e.getMessage());
        }
      }
    } finally {
      if (oc != null) {
        if ((oc.oformat().flags() & AVFMT_NOFILE) == 0 && oc.pb() != null && !oc.pb().isNull()) {
          avio_closep(oc.pb());
        }
        avformat_free_context(oc);
        oc = null;
      }
      if (encoder != null) {
        avcodec_free_context(encoder);
        encoder = null;
      }
      if (yuv != null) {
        av_frame_free(yuv);
        yuv = null;
      }
      if (packet != null) {
        av_packet_free(packet);
        packet = null;
      }
      if (sws != null) {
        sws_freeContext(sws);
        sws = null;
      }
      srcData.close();
      srcLinesize.close();
    }
  }
}
