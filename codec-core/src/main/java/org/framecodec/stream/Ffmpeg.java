package org.framecodec.stream;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.framecodec.FrameCodecException;

/** Small helpers over FFmpeg's C API: loading, error text, dictionaries, time bases. */
final class Ffmpeg {
  /** {@code AVERROR(EAGAIN)} on Linux: the codec wants more input or has output pending. */
  static final int EAGAIN = -11;
  /** Microseconds: the time base of every timestamp this package hands out. */
  static final long MICROS = 1_000_000L;

  private static volatile boolean loaded;

  private Ffmpeg() {}

  /**
   * Loads FFmpeg's natives once and turns its console logging down to fatal errors: it writes to
   * stderr, a line per damaged macroblock, and every failure that matters reaches the caller as
   * an exception carrying FFmpeg's error text anyway. The system property {@code
   * framecodec.ffmpeg.loglevel} (an AV_LOG_* number: 16 errors, 24 warnings, 32 info) overrides it.
   */
  static void load() {
    if (loaded) {
      return;
    }
    synchronized (Ffmpeg.class) {
      if (loaded) {
        return;
      }
      try {
        Class.forName("org.bytedeco.ffmpeg.global.avformat", false, Ffmpeg.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new FrameCodecException("org.framecodec.stream needs org.bytedeco:ffmpeg-platform on "
            + "the classpath (an optional dependency of codec-core)", e);
      }
      try {
        int level = Integer.getInteger("framecodec.ffmpeg.loglevel", AV_LOG_FATAL);
        av_log_set_level(level);
      } catch (UnsatisfiedLinkError e) {
        throw new FrameCodecException("cannot load FFmpeg's natives for this platform: " + e.getMessage(), e);
      }
      loaded = true;
    }
  }

  /** FFmpeg's text for an error code, e.g. "Connection refused". */
  static String errorText(int code) {
    byte[] buf = new byte[256];
    if (av_strerror(code, buf, buf.length) < 0) {
      return "error " + code;
    }
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
  }

  /** A new dictionary holding {@code options}; the caller frees it with {@code av_dict_free}. */
  static AVDictionary dictionary(Map<String, String> options) {
    AVDictionary d = new AVDictionary(null);
    for (Map.Entry<String, String> e : options.entrySet()) {
      av_dict_set(d, e.getKey(), e.getValue(), 0);
    }
    return d;
  }

  /** {@code value} in time base {@code num/den} as microseconds, rounding to nearest. */
  static long toMicros(long value, int num, int den) {
    return Math.round((double) value * num * MICROS / den);
  }

  static long toMicros(long value, AVRational tb) {
    return toMicros(value, tb.num(), tb.den());
  }

  /** Microseconds as ticks of the time base {@code num/den}, rounding to nearest. */
  static long fromMicros(long micros, int num, int den) {
    return Math.round((double) micros * den / ((double) num * MICROS));
  }

  static AVRational rational(int num, int den) {
    AVRational r = new AVRational();
    r.num(num);
    r.den(den);
    return r;
  }
}
