package org.framecodec.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.CodecListener;
import org.framecodec.codec.CodecMonitor;
import org.framecodec.codec.JpegMode;

/**
 * Meters of every {@link org.framecodec.codec.JpegCodec} in the process (codecs are made per
 * thread, so they are watched together through {@link CodecMonitor}):
 *
 * <table>
 *   <caption>Codec meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code framecodec.codec.open}</td><td>gauge</td><td>{@code backend}</td><td>codecs holding native memory now</td></tr>
 *   <tr><td>{@code framecodec.codec.encode}</td><td>timer</td><td>{@code backend}, {@code mode}</td><td>frames encoded and the time each took</td></tr>
 *   <tr><td>{@code framecodec.codec.decode}</td><td>timer</td><td>{@code backend}, {@code mode}</td><td>payloads decoded and the time each took</td></tr>
 *   <tr><td>{@code framecodec.codec.payload.encoded}</td><td>counter, bytes</td><td>{@code backend}, {@code mode}</td><td>payload bytes written</td></tr>
 *   <tr><td>{@code framecodec.codec.payload.decoded}</td><td>counter, bytes</td><td>{@code backend}, {@code mode}</td><td>payload bytes read</td></tr>
 * </table>
 *
 * <p>{@code mode} is {@code cv2-yuv}, {@code ycbcr} or {@code gray}. Every meter is registered up
 * front, so a codec call records into an array slot: no lookup, no allocation. The listener is
 * registered with {@link CodecMonitor} on {@link #bindTo} and removed by {@link #close()}, which
 * also removes the meters. Thread-safe.
 */
public final class CodecMetrics implements MeterBinder, CodecListener, AutoCloseable {
  private final Tags tags;
  private final BoundMeters meters = new BoundMeters();
  private final Timer[][] encodes = new Timer[CodecBackend.values().length][JpegMode.values().length];
  private final Timer[][] decodes = new Timer[CodecBackend.values().length][JpegMode.values().length];
  private final Counter[][] bytesEncoded = new Counter[CodecBackend.values().length][JpegMode.values().length];
  private final Counter[][] bytesDecoded = new Counter[CodecBackend.values().length][JpegMode.values().length];
  private volatile boolean ready;

  /**
   * Codec meters tagged with {@code extraTags}; registered by {@link #bindTo}.
   *
   * @param extraTags more tags for every meter
   */
  public CodecMetrics(Iterable<Tag> extraTags) {
    this.tags = Tags.of(extraTags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(registry, "CodecMetrics");
    for (CodecBackend backend : CodecBackend.values()) {
      String b = backend.name().toLowerCase(Locale.ROOT);
      meters.add(Gauge.builder("framecodec.codec.open", backend, CodecMonitor::openHandles)
          .description("Codecs holding native memory now").tags(tags).tag("backend", b)
          .register(registry));
      for (JpegMode mode : JpegMode.values()) {
        Tags t = tags.and("backend", b, "mode", mode.wireName());
        int i = backend.ordinal();
        int j = mode.ordinal();
        encodes[i][j] = meters.add(Timer.builder("framecodec.codec.encode")
            .description("Frames encoded, and the time each took").tags(t).register(registry));
        decodes[i][j] = meters.add(Timer.builder("framecodec.codec.decode")
            .description("Payloads decoded, and the time each took").tags(t).register(registry));
        bytesEncoded[i][j] = meters.add(Counter.builder("framecodec.codec.payload.encoded")
            .description("Payload bytes written by encoders").baseUnit(BaseUnits.BYTES).tags(t)
            .register(registry));
        bytesDecoded[i][j] = meters.add(Counter.builder("framecodec.codec.payload.decoded")
            .description("Payload bytes read by decoders").baseUnit(BaseUnits.BYTES).tags(t)
            .register(registry));
      }
    }
    ready = true;
    CodecMonitor.addListener(this);
  }

  @Override
  public void encoded(CodecBackend backend, JpegMode mode, int payloadBytes, long nanos) {
    if (ready) {
      encodes[backend.ordinal()][mode.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
      bytesEncoded[backend.ordinal()][mode.ordinal()].increment(payloadBytes);
    }
  }

  @Override
  public void decoded(CodecBackend backend, JpegMode mode, int payloadBytes, long nanos) {
    if (ready) {
      decodes[backend.ordinal()][mode.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
      bytesDecoded[backend.ordinal()][mode.ordinal()].increment(payloadBytes);
    }
  }

  /** Stops listening and removes the meters. Idempotent. */
  @Override
  public void close() {
    CodecMonitor.removeListener(this);
    ready = false;
    meters.remove();
  }
}
