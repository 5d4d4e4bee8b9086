package org.framecodec.stream;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an annotated stream goes and how it is encoded: H.264 video from the LGPL build's encoder
 * ({@code libopenh264}) plus the source's audio copied packet for packet, muxed into a file
 * ({@code .mp4}, {@code .mkv}, {@code .ts}, {@code .flv}), an HLS playlist ({@code .m3u8}) or
 * pushed to an RTMP server ({@code rtmp://...}, muxed as FLV).
 *
 * <ul>
 *   <li>{@code format}: the muxer; default guessed from the URL ({@code flv} for rtmp,
 *       {@code hls} for .m3u8, else by extension).
 *   <li>{@code encoder} ({@code libopenh264}): FFmpeg's name of the video encoder.
 *   <li>{@code videoBitrate} (0 = about 0.07 bit per pixel per frame, at least 500 kbit/s: 7 Mbit/s
 *       for 1080p50, 1.6 Mbit/s for 720p25).
 *   <li>{@code gopSeconds} (2): a key frame at least this often, so a player joining a live stream
 *       starts within that time.
 *   <li>{@code copyAudio} (true): pass the source's audio packets through untouched, with their
 *       timestamps.
 *   <li>{@code writeTimeout} (10 s): the most opening the output or one write may block, e.g. on
 *       an RTMP server that stopped reading; then {@link SinkException}.
 *   <li>{@code ffmpegOptions}: muxer and protocol options ({@code hls_time}, {@code movflags},
 *       ...), {@code encoderOptions}: encoder options, both passed as they are.
 * </ul>
 *
 * <p>Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class SinkOptions {
  private final String url;
  private final String format;
  private final String encoder;
  private final long videoBitrate;
  private final double gopSeconds;
  private final boolean copyAudio;
  private final Duration writeTimeout;
  private final Map<String, String> ffmpegOptions;
  private final Map<String, String> encoderOptions;

  private SinkOptions(Builder b) {
    this.url = b.url;
    this.format = b.format;
    this.encoder = b.encoder;
    if (b.videoBitrate < 0) {
      throw new IllegalArgumentException("videoBitrate must not be negative, got " + b.videoBitrate);
    }
    this.videoBitrate = b.videoBitrate;
    if (!(b.gopSeconds > 0 && b.gopSeconds <= 60)) {
      throw new IllegalArgumentException("gopSeconds must be in (0, 60], got " + b.gopSeconds);
    }
    this.gopSeconds = b.gopSeconds;
    this.copyAudio = b.copyAudio;
    Objects.requireNonNull(b.writeTimeout, "writeTimeout");
    if (b.writeTimeout.isNegative() || b.writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout must be positive, got " + b.writeTimeout);
    }
    this.writeTimeout = b.writeTimeout;
    this.ffmpegOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.ffmpegOptions));
    this.encoderOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.encoderOptions));
  }

  /**
   * {@return options for {@code url} with every default}
   *
   * @param url a file path or an rtmp:// URL
   */
  public static SinkOptions of(String url) {
    return builder(url).build();
  }

  /**
   * {@return a builder for {@code url}, holding the defaults}
   *
   * @param url a file path or an rtmp:// URL
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** {@return a builder holding these options, to derive changed ones} */
  public Builder toBuilder() {
    Builder b = new Builder(url);
    b.format = format;
    b.encoder = encoder;
    b.videoBitrate = videoBitrate;
    b.gopSeconds = gopSeconds;
    b.copyAudio = copyAudio;
    b.writeTimeout = writeTimeout;
    b.ffmpegOptions.putAll(ffmpegOptions);
    b.encoderOptions.putAll(encoderOptions);
    return b;
  }

  /** {@return the file path or URL} */
  public String url() {
    return url;
  }

  /** {@return the muxer: the one set, or the one the URL implies; empty when FFmpeg guesses from the extension} */
  public Optional<String> format() {
    if (format != null) {
      return Optional.of(format);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("rtmp://") || lower.startsWith("rtmps://")) {
      return Optional.of("flv");
    }
    if (lower.endsWith(".m3u8")) {
      return Optional.of("hls");
    }
    return Optional.empty();
  }

  /** {@return FFmpeg's name of the video encoder} */
  public String encoder() {
    return encoder;
  }

  /** {@return the bitrate set in bit/s, 0 for automatic} */
  public long videoBitrate() {
    return videoBitrate;
  }

  /**
   * {@return the bitrate for a video of this size and rate: the one set, or the automatic one}
   *
   * @param width picture width
   * @param height picture height
   * @param fps frames per second (25 is assumed when unknown)
   */
  public long videoBitrate(int width, int height, double fps) {
    if (videoBitrate > 0) {
      return videoBitrate;
    }
    double rate = fps > 0 && fps < 1000 ? fps : 25;
    return Math.max(500_000L, Math.round(0.07 * width * height * rate));
  }

  /** {@return the longest time between key frames, in seconds} */
  public double gopSeconds() {
    return gopSeconds;
  }

  /** {@return whether the source's audio is passed through} */
  public boolean copyAudio() {
    return copyAudio;
  }

  /** {@return the most opening the output or one write may block} */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** {@return the muxer and protocol options; unmodifiable} */
  public Map<String, String> ffmpegOptions() {
    return ffmpegOptions;
  }

  /** {@return the encoder options; unmodifiable} */
  public Map<String, String> encoderOptions() {
    return encoderOptions;
  }

  /** {@return true for a URL with a network protocol (rtmp, srt, udp, ...), false for a file} */
  public boolean isNetwork() {
    return SourceOptions.isNetworkUrl(url);
  }

  @Override
  public String toString() {
    return "SinkOptions{" + url + ", " + encoder + (videoBitrate > 0 ? " " + videoBitrate + " bit/s" : "")
        + ", gop " + gopSeconds + " s" + (copyAudio ? ", audio copied" : ", no audio") + "}";
  }

  /** Collects {@link SinkOptions}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private String format;
    private String encoder = "libopenh264";
    private long videoBitrate;
    private double gopSeconds = 2;
    private boolean copyAudio = true;
    private Duration writeTimeout = Duration.ofSeconds(10);
    private final Map<String, String> ffmpegOptions = new LinkedHashMap<>();
    private final Map<String, String> encoderOptions = new LinkedHashMap<>();

    private Builder(String url) {
      Objects.requireNonNull(url, "url");
      if (url.isBlank()) {
        throw new IllegalArgumentException("sink url must not be blank");
      }
      this.url = url;
    }

    /**
     * Sets the muxer instead of guessing it from the URL.
     *
     * @param value FFmpeg's muxer name, e.g. {@code mp4}, {@code flv}, {@code hls}
     * @return this builder
     */
    public Builder format(String value) {
      this.format = Objects.requireNonNull(value, "format");
      return this;
    }

    /**
     * Sets the video encoder; default {@code libopenh264}.
     *
     * @param value FFmpeg's encoder name
     * @return this builder
     */
    public Builder encoder(String value) {
      this.encoder = Objects.requireNonNull(value, "encoder");
      return this;
    }

    /**
     * Sets the video bitrate; default 0, automatic.
     *
     * @param value bits per second, 0 for automatic
     * @return this builder
     */
    public Builder videoBitrate(long value) {
      this.videoBitrate = value;
      return this;
    }

    /**
     * Sets the longest time between key frames; default 2 s.
     *
     * @param value seconds, more than 0 and at most 60
     * @return this builder
     */
    public Builder gopSeconds(double value) {
      this.gopSeconds = value;
      return this;
    }

    /**
     * Sets whether the source's audio is passed through; default true.
     *
     * @param value whether to copy audio
     * @return this builder
     */
    public Builder copyAudio(boolean value) {
      this.copyAudio = value;
      return this;
    }

    /**
     * Sets the write timeout; default 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder writeTimeout(Duration value) {
      this.writeTimeout = value;
      return this;
    }

    /**
     * Adds one muxer or protocol option, e.g. {@code ("hls_time", "2")}.
     *
     * @param key the option's name
     * @param value its value
     * @return this builder
     */
    public Builder ffmpegOption(String key, String value) {
      ffmpegOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds one encoder option.
     *
     * @param key the option's name
     * @param value its value
     * @return this builder
     */
    public Builder encoderOption(String key, String value) {
      encoderOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** {@return the options, validated} */
    public SinkOptions build() {
      return new SinkOptions(this);
    }
  }
}
