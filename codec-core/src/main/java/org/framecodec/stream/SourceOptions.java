package org.framecodec.stream;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.framecodec.codec.EncodedFrame;

/**
 * Where a stream comes from and how it is read: a file path or a URL FFmpeg opens (RTMP, RTSP,
 * HLS, HTTP-FLV, MPEG-TS over HTTP, UDP or SRT), the stream id its frames carry, and the limits
 * that keep a network source from blocking forever.
 *
 * <ul>
 *   <li>{@code streamId}: tags every frame ({@link EncodedFrame#streamId()}) and sidecar line;
 *       default: the file name or the last path segment of the URL.
 *   <li>{@code openTimeout} (10 s): the most opening a source and reading its stream headers may
 *       take.
 *   <li>{@code readTimeout} (5 s): the most one read may wait for data. Passed to FFmpeg as
 *       {@code rw_timeout} (and {@code timeout} for RTSP) and enforced again by an interrupt
 *       callback, because without it a stalled RTMP read blocks for hours.
 *   <li>{@code reconnect}: {@link ReconnectPolicy#defaults()} for network sources, ignored for
 *       files.
 *   <li>{@code realtime}: read no faster than the timestamps advance, as {@code ffmpeg -re} does.
 *       Default: on for a file in {@link ProcessingMode#LIVE} (so a file stands in for a camera),
 *       off otherwise (a network source already arrives in real time).
 *   <li>{@code maxConsecutiveDecodeErrors} (100): packets in a row the decoder may reject before
 *       the source fails with {@link CorruptStreamException}; fewer are skipped and counted.
 *   <li>{@code decoderThreads} (0 = FFmpeg's choice, one per core).
 *   <li>{@code format}: force a demuxer ({@code flv}, {@code mpegts}, ...) instead of probing.
 *   <li>{@code ffmpegOptions}: further demuxer and protocol options, passed as they are. A
 *       network source probes 1 s ({@code analyzeduration=1000000}) instead of FFmpeg's 5 s
 *       unless this sets it, and waits (within the open timeout) for a video stream that
 *       appears only after probing, as FLV from an RTMP server does.
 * </ul>
 *
 * <p>Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class SourceOptions {
  private final String url;
  private final String streamId;
  private final Duration openTimeout;
  private final Duration readTimeout;
  private final ReconnectPolicy reconnect;
  private final Boolean realtime;
  private final int maxConsecutiveDecodeErrors;
  private final int decoderThreads;
  private final String format;
  private final Map<String, String> ffmpegOptions;

  private SourceOptions(Builder b) {
    this.url = b.url;
    this.streamId = b.streamId != null ? b.streamId : defaultStreamId(b.url);
    // Validates the id the same way every frame will be.
    EncodedFrame.builder().payload(new byte[1]).size(1, 1).streamId(streamId).build();
    this.openTimeout = positive("openTimeout", b.openTimeout);
    this.readTimeout = positive("readTimeout", b.readTimeout);
    this.reconnect = b.reconnect != null ? b.reconnect
        : isNetworkUrl(b.url) ? ReconnectPolicy.defaults() : ReconnectPolicy.none();
    this.realtime = b.realtime;
    if (b.maxConsecutiveDecodeErrors < 1) {
      throw new IllegalArgumentException("maxConsecutiveDecodeErrors must be positive, got " + b.maxConsecutiveDecodeErrors);
    }
    this.maxConsecutiveDecodeErrors = b.maxConsecutiveDecodeErrors;
    if (b.decoderThreads < 0 || b.decoderThreads > 64) {
      throw new IllegalArgumentException("decoderThreads must be 0..64, got " + b.decoderThreads);
    }
    this.decoderThreads = b.decoderThreads;
    this.format = b.format;
    this.ffmpegOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.ffmpegOptions));
  }

  /**
   * {@return options for {@code url} with every default}
   *
   * @param url a file path or a URL FFmpeg opens
   */
  public static SourceOptions of(String url) {
    return builder(url).build();
  }

  /**
   * {@return a builder for {@code url}, holding the defaults}
   *
   * @param url a file path or a URL FFmpeg opens
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** {@return a builder holding these options, to derive changed ones} */
  public Builder toBuilder() {
    Builder b = new Builder(url);
    b.streamId = streamId;
    b.openTimeout = openTimeout;
    b.readTimeout = readTimeout;
    b.reconnect = reconnect;
    b.realtime = realtime;
    b.maxConsecutiveDecodeErrors = maxConsecutiveDecodeErrors;
    b.decoderThreads = decoderThreads;
    b.format = format;
    b.ffmpegOptions.putAll(ffmpegOptions);
    return b;
  }

  /** {@return the file path or URL} */
  public String url() {
    return url;
  }

  /** {@return the id every frame and sidecar line of this stream carries} */
  public String streamId() {
    return streamId;
  }

  /** {@return the most opening and probing may take} */
  public Duration openTimeout() {
    return openTimeout;
  }

  /** {@return the most one read may wait for data} */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** {@return the policy in force: the one set, or the default for this kind of URL (none for files)} */
  public ReconnectPolicy reconnect() {
    return isNetwork() ? reconnect : ReconnectPolicy.none();
  }

  /**
   * {@return whether reads are paced to the timestamps in {@code mode}}
   *
   * @param mode the pipeline's mode; see the class comment for the default
   */
  public boolean realtime(ProcessingMode mode) {
    return realtime != null ? realtime : mode == ProcessingMode.LIVE && !isNetwork();
  }

  /** {@return the undecodable packets in a row that make the source fail} */
  public int maxConsecutiveDecodeErrors() {
    return maxConsecutiveDecodeErrors;
  }

  /** {@return the decoder's threads, 0 for FFmpeg's choice} */
  public int decoderThreads() {
    return decoderThreads;
  }

  /** {@return the forced demuxer name, if one was set} */
  public Optional<String> format() {
    return Optional.ofNullable(format);
  }

  /** {@return the extra FFmpeg options, in insertion order; unmodifiable} */
  public Map<String, String> ffmpegOptions() {
    return ffmpegOptions;
  }

  /** {@return true for a URL with a network protocol (rtmp, rtsp, http, srt, udp, ...), false for a file} */
  public boolean isNetwork() {
    return isNetworkUrl(url);
  }

  static boolean isNetworkUrl(String url) {
    int colon = url.indexOf("://");
    if (colon <= 0) {
      return false;
    }
    String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
    return !scheme.equals("file") && !scheme.equals("pipe");
  }

  static String defaultStreamId(String url) {
    String s = url;
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    int slash = s.lastIndexOf('/');
    String name = slash >= 0 ? s.substring(slash + 1) : s;
    if (name.isEmpty()) {
      name = "stream";
    }
    // Keep within the wire limit whatever the URL: ids are for humans and sidecars.
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "SourceOptions{" + url + ", id '" + streamId + "', open " + openTimeout.toMillis()
        + " ms, read " + readTimeout.toMillis() + " ms, " + reconnect() + "}";
  }

  /** Collects {@link SourceOptions}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private String streamId;
    private Duration openTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(5);
    private ReconnectPolicy reconnect;
    private Boolean realtime;
    private int maxConsecutiveDecodeErrors = 100;
    private int decoderThreads;
    private String format;
    private final Map<String, String> ffmpegOptions = new LinkedHashMap<>();

    private Builder(String url) {
      Objects.requireNonNull(url, "url");
      if (url.isBlank()) {
        throw new IllegalArgumentException("source url must not be blank");
      }
      this.url = url;
    }

    /**
     * Sets the stream id; default the URL's last path segment.
     *
     * @param value a non-empty id of at most 255 UTF-8 bytes
     * @return this builder
     */
    public Builder streamId(String value) {
      this.streamId = Objects.requireNonNull(value, "streamId");
      if (value.isEmpty()) {
        throw new IllegalArgumentException("streamId must not be empty");
      }
      return this;
    }

    /**
     * Sets the open timeout; default 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder openTimeout(Duration value) {
      this.openTimeout = value;
      return this;
    }

    /**
     * Sets the read timeout; default 5 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder readTimeout(Duration value) {
      this.readTimeout = value;
      return this;
    }

    /**
     * Sets the reconnection policy of a network source.
     *
     * @param value the policy
     * @return this builder
     */
    public Builder reconnect(ReconnectPolicy value) {
      this.reconnect = Objects.requireNonNull(value, "reconnect");
      return this;
    }

    /**
     * Paces reads to the timestamps (true) or reads as fast as possible (false).
     *
     * @param value whether to pace
     * @return this builder
     */
    public Builder realtime(boolean value) {
      this.realtime = value;
      return this;
    }

    /**
     * Sets how many undecodable packets in a row fail the source; default 100.
     *
     * @param value a positive count
     * @return this builder
     */
    public Builder maxConsecutiveDecodeErrors(int value) {
      this.maxConsecutiveDecodeErrors = value;
      return this;
    }

    /**
     * Sets the decoder's threads; default 0, FFmpeg's choice.
     *
     * @param value 0..64
     * @return this builder
     */
    public Builder decoderThreads(int value) {
      this.decoderThreads = value;
      return this;
    }

    /**
     * Forces a demuxer instead of probing.
     *
     * @param value FFmpeg's demuxer name, e.g. {@code flv}
     * @return this builder
     */
    public Builder format(String value) {
      this.format = Objects.requireNonNull(value, "format");
      return this;
    }

    /**
     * Adds one FFmpeg demuxer or protocol option, e.g. {@code ("rtmp_live", "live")}.
     *
     * @param key the option's name
     * @param value its value
     * @return this builder
     */
    public Builder ffmpegOption(String key, String value) {
      ffmpegOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** {@return the options, validated} */
    public SourceOptions build() {
      return new SourceOptions(this);
    }
  }
}
