package org.framecodec.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The network side of an {@link InferenceServer}: timeouts, connection caps, the request queue
 * and the bytes of request bodies held at once. (What a request's frames may declare is in
 * {@link org.framecodec.Limits}.) Each default says why it is what it is.
 *
 * <p>Immutable and thread-safe; validated when built, with the bad value in the message.
 */
public final class ServerOptions {
  /**
   * Time from a connection's start (TLS handshake included), or from the first byte of a later
   * request on it, until that request's headers are complete. Headers are a few hundred bytes;
   * any client sends them in well under a second, so 10 s is generous, and it is what one
   * slow-header (slowloris) connection can hold a slot for.
   */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  /** Time an idle keep-alive connection is kept between requests; nginx's default is 75 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Slowest average rate a body may arrive at, after {@link #bodyGrace()}. 64 KiB/s lets a 13 MB
   * batch through a 1 Mbit/s link (it takes 105 s) and cuts a trickle of a byte a second off
   * after the grace period, whatever the declared length.
   */
  public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 64 << 10;
  /** Time a body may take before the minimum rate applies: covers TCP slow start and a pause. */
  public static final Duration DEFAULT_BODY_GRACE = Duration.ofSeconds(10);
  /** Time to write a response to a client that does not read it. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
  /** Open connections in all; each costs a few KB when idle. Past it, new ones are closed at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  /**
   * Open connections from one client address. A stream service needs a handful; 128 leaves room
   * for a client behind NAT, and keeps one address from taking every slot.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 128;
  /**
   * Requests waiting for a worker. With a CPU detector a 64-frame batch takes seconds, so 32
   * queued requests are already a long wait; past that a client hears 503 at once and retries
   * elsewhere, rather than timing out.
   */
  public static final int DEFAULT_QUEUE_CAPACITY = 32;
  /**
   * Worker threads, each running one request at a time. The detector is thread-safe and
   * pipelined: while one request's batch is in the model, the next is being decoded, and it keeps
   * three chunks in flight, so four workers keep it busy and a fifth would only wait.
   */
  public static final int DEFAULT_WORKERS = 4;
  /**
   * Bytes of request bodies held at once, read or being read: 4 bodies of the 64 MiB document
   * limit. Bounds the heap the receiver can be made to hold by many large uploads.
   */
  public static final long DEFAULT_MAX_IN_FLIGHT_BODY_BYTES = 256L << 20;
  /** Seconds a 503 tells the client to wait ({@code Retry-After}). */
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
  /** Time {@link InferenceServer#close()} lets in-flight requests finish. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private static final ServerOptions DEFAULTS = builder().build();

  private final Duration headerTimeout;
  private final Duration idleTimeout;
  private final long minBodyBytesPerSecond;
  private final Duration bodyGrace;
  private final Duration writeTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final int queueCapacity;
  private final int workers;
  private final long maxInFlightBodyBytes;
  private final int retryAfterSeconds;
  private final Duration drainTimeout;

  private ServerOptions(Builder b) {
    this.headerTimeout = positive("headerTimeout", b.headerTimeout);
    this.idleTimeout = positive("idleTimeout", b.idleTimeout);
    this.minBodyBytesPerSecond = positive("minBodyBytesPerSecond", b.minBodyBytesPerSecond);
    this.bodyGrace = positive("bodyGrace", b.bodyGrace);
    this.writeTimeout = positive("writeTimeout", b.writeTimeout);
    this.maxConnections = (int) positive("maxConnections", b.maxConnections);
    this.maxConnectionsPerAddress = (int) positive("maxConnectionsPerAddress", b.maxConnectionsPerAddress);
    this.queueCapacity = (int) positive("queueCapacity", b.queueCapacity);
    this.workers = (int) positive("workers", b.workers);
    this.maxInFlightBodyBytes = positive("maxInFlightBodyBytes", b.maxInFlightBodyBytes);
    this.retryAfterSeconds = (int) positive("retryAfterSeconds", b.retryAfterSeconds);
    this.drainTimeout = positive("drainTimeout", b.drainTimeout);
  }

  /** {@return the defaults} */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return time until a request's headers are complete; see {@link #DEFAULT_HEADER_TIMEOUT}} */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /** {@return time an idle keep-alive connection is kept} */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** {@return slowest average body rate accepted after {@link #bodyGrace()}} */
  public long minBodyBytesPerSecond() {
    return minBodyBytesPerSecond;
  }

  /** {@return time before the minimum body rate applies} */
  public Duration bodyGrace() {
    return bodyGrace;
  }

  /** {@return time to write a response} */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** {@return open connections in all} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return open connections from one client address} */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** {@return requests that may wait for a worker} */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** {@return worker threads running endpoints} */
  public int workers() {
    return workers;
  }

  /** {@return bytes of request bodies held at once} */
  public long maxInFlightBodyBytes() {
    return maxInFlightBodyBytes;
  }

  /** {@return seconds a 503 tells the client to wait} */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** {@return time {@link InferenceServer#close()} lets in-flight requests finish} */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  @Override
  public String toString() {
    return "ServerOptions{headerTimeout=" + headerTimeout + ", idleTimeout=" + idleTimeout
        + ", minBodyBytesPerSecond=" + minBodyBytesPerSecond + ", bodyGrace=" + bodyGrace
        + ", writeTimeout=" + writeTimeout + ", maxConnections=" + maxConnections
        + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress + ", queueCapacity="
        + queueCapacity + ", workers=" + workers + ", maxInFlightBodyBytes=" + maxInFlightBodyBytes
        + ", retryAfterSeconds=" + retryAfterSeconds + ", drainTimeout=" + drainTimeout + "}";
  }

  private static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  private static long positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
    return v;
  }

  /** Builds {@link ServerOptions}; starts from the defaults. Not thread-safe. */
  public static final class Builder {
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private long minBodyBytesPerSecond = DEFAULT_MIN_BODY_BYTES_PER_SECOND;
    private Duration bodyGrace = DEFAULT_BODY_GRACE;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private long maxConnections = DEFAULT_MAX_CONNECTIONS;
    private long maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    private long queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private long workers = DEFAULT_WORKERS;
    private long maxInFlightBodyBytes = DEFAULT_MAX_IN_FLIGHT_BODY_BYTES;
    private long retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder() {}

    /**
     * Sets {@link ServerOptions#headerTimeout()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder headerTimeout(Duration v) {
      this.headerTimeout = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#idleTimeout()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder idleTimeout(Duration v) {
      this.idleTimeout = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#minBodyBytesPerSecond()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder minBodyBytesPerSecond(long v) {
      this.minBodyBytesPerSecond = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#bodyGrace()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder bodyGrace(Duration v) {
      this.bodyGrace = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#writeTimeout()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder writeTimeout(Duration v) {
      this.writeTimeout = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#maxConnections()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder maxConnections(int v) {
      this.maxConnections = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#maxConnectionsPerAddress()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder maxConnectionsPerAddress(int v) {
      this.maxConnectionsPerAddress = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#queueCapacity()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder queueCapacity(int v) {
      this.queueCapacity = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#workers()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder workers(int v) {
      this.workers = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#maxInFlightBodyBytes()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder maxInFlightBodyBytes(long v) {
      this.maxInFlightBodyBytes = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#retryAfterSeconds()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder retryAfterSeconds(int v) {
      this.retryAfterSeconds = v;
      return this;
    }

    /**
     * Sets {@link ServerOptions#drainTimeout()}.
     *
     * @param v the value, positive
     * @return this builder
     */
    public Builder drainTimeout(Duration v) {
      this.drainTimeout = v;
      return this;
    }

    /** {@return the options, validated} */
    public ServerOptions build() {
      return new ServerOptions(this);
    }
  }
}
