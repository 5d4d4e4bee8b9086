package org.framecodec.bench.support;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of measurements: the one median and percentile of the tool and the benchmarks. Stateless. */
public final class Stats {
  private Stats() {}

  /** The median; the mean of the middle two for an even count. The array is not changed. */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** The median of boxed values. */
  public static double median(Collection<Double> values) {
    return median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Nearest-rank percentile ({@code p} in 0..100). The array is not changed. */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("percentile of no values");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }
}
