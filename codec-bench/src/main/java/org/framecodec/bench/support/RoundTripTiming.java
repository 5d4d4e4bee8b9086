package org.framecodec.bench.support;

import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * Times one setting the way a service runs it: encode into a reused buffer, decode into a reused
 * frame, one thread, wall clock, after untimed warm-up rounds. Stateless; the codec is the
 * caller's (one thread at a time).
 *
 * @param bytes payload bytes of the setting
 * @param payload the payload buffer; the first {@code bytes} bytes are the JPEG
 * @param decoded the frame decoded from the last payload (gray for gray mode, else BGR)
 * @param encodeMs median encode milliseconds
 * @param decodeMs median decode milliseconds
 */
public record RoundTripTiming(int bytes, byte[] payload, Frame decoded, double encodeMs, double decodeMs) {

  /** Measures {@code reps} encode + decode rounds of {@code frame} after {@code warmups} untimed ones. */
  public static RoundTripTiming measure(JpegCodec codec, Frame frame, EncodeOptions o, int warmups, int reps) {
    if (reps < 1 || warmups < 0) {
      throw new IllegalArgumentException("need reps >= 1 and warmups >= 0, got " + reps + " and " + warmups);
    }
    byte[] buf = new byte[codec.maxEncodedSize(frame.width(), frame.height(), o)];
    PixelFormat format = o.mode() == JpegMode.GRAY ? PixelFormat.GRAY : PixelFormat.BGR;
    Frame decoded = Frame.allocate(format, frame.width(), frame.height());
    double[] enc = new double[reps];
    double[] dec = new double[reps];
    int n = 0;
    for (int i = -warmups; i < reps; i++) {
      long t0 = System.nanoTime();
      n = codec.encode(frame, o, buf, 0);
      long t1 = System.nanoTime();
      codec.decodeInto(buf, 0, n, o.mode(), decoded);
      long t2 = System.nanoTime();
      if (i >= 0) {
        enc[i] = (t1 - t0) / 1e6;
        dec[i] = (t2 - t1) / 1e6;
      }
    }
    return new RoundTripTiming(n, buf, decoded, Stats.median(enc), Stats.median(dec));
  }
}
