package org.framecodec.bench.detect;

import java.util.Locale;
import org.framecodec.detect.StageTimings;

/** Sums {@link StageTimings} over a benchmark trial's measurement iterations and reports each stage's share. */
final class StageShares {
  private StageTimings sum = StageTimings.zero();
  private long calls;
  private long images;

  void add(StageTimings t, int batch) {
    sum = sum.plus(t);
    calls++;
    images += batch;
  }

  /** One line: calls, mean ms per image per stage and its share of the detector's total. */
  String report(String label) {
    double total = sum.totalNanos();
    long other = sum.totalNanos() - sum.decodeNanos() - sum.preprocessNanos() - sum.inferenceNanos()
        - sum.postprocessNanos();
    return String.format(Locale.ROOT,
        "stage shares %s over %d calls / %d images: decode %.1f%% (%.3f ms/img), pre-process %.1f%% (%.3f), "
            + "inference %.1f%% (%.3f), post-process %.1f%% (%.3f), other %.1f%%",
        label, calls, images,
        100 * sum.decodeNanos() / total, sum.decodeNanos() / 1e6 / images,
        100 * sum.preprocessNanos() / total, sum.preprocessNanos() / 1e6 / images,
        100 * sum.inferenceNanos() / total, sum.inferenceNanos() / 1e6 / images,
        100 * sum.postprocessNanos() / total, sum.postprocessNanos() / 1e6 / images,
        100 * other / total);
  }
}
