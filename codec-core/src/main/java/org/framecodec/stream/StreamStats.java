package org.framecodec.stream;

import java.util.Locale;

/**
 * One stream's counters at a moment. Immutable.
 *
 * <p>{@code framesIn} counts frames decoded, {@code framesOut} frames written to the sink, {@code
 * dropped} frames dropped by the live policy (newest wins); once the stream has finished, {@code
 * framesIn = framesOut + dropped} (frames lost when a sink fails are not counted out). Rates are
 * over the time since the stream's first frame. Glass-to-glass latency runs from the moment a
 * frame was due by its timestamp (in live mode: the wall clock at the connection's first frame
 * plus the frame's pts offset from it) or, in file mode, from when it was read, to the moment the
 * sink had written it.
 *
 * @param streamId the stream
 * @param framesIn video frames decoded
 * @param framesOut video frames written
 * @param dropped frames dropped because the pipeline was behind (live mode only)
 * @param notAnalysed frames written without detections because the detector failed on them
 * @param decodeErrors packets the decoder rejected and that were skipped
 * @param reconnects connections opened after the first
 * @param audioIn audio packets read
 * @param audioOut audio packets written
 * @param audioDropped audio packets not written (time going backwards after a reconnection, no
 *     audio in the output, or the live audio queue overflowing)
 * @param fpsIn frames decoded per second
 * @param fpsOut frames written per second
 * @param latencyP50Millis median glass-to-glass latency
 * @param latencyP99Millis 99th-percentile glass-to-glass latency
 * @param latencyMaxMillis largest glass-to-glass latency
 * @param inFlight frames held between decoder and sink now
 * @param finished whether the stream has ended (completed or failed)
 */
public record StreamStats(String streamId, long framesIn, long framesOut, long dropped,
    long notAnalysed, long decodeErrors, int reconnects, long audioIn, long audioOut,
    long audioDropped, double fpsIn, double fpsOut, double latencyP50Millis,
    double latencyP99Millis, double latencyMaxMillis, int inFlight, boolean finished) {

  /** {@return one line for a progress display} */
  public String progress() {
    return String.format(Locale.ROOT, "%s: in %d (%.1f fps) out %d (%.1f fps) drop %d, g2g p50 %.0f ms p99 %.0f ms%s",
        streamId, framesIn, fpsIn, framesOut, fpsOut, dropped, latencyP50Millis, latencyP99Millis,
        reconnects > 0 ? ", reconnects " + reconnects : "");
  }
}
