package org.framecodec.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Score threshold, per-class greedy non-maximum suppression and a cap on the count, as
 * {@link NmsOptions} describes. Stateless and thread-safe.
 *
 * <p>Deterministic: candidates are ranked by score, and equal scores keep their input order, so
 * the same input always gives the same output. Boxes of different classes never suppress each
 * other. Quadratic in the candidates of one class, which the score threshold keeps small.
 */
public final class Nms {
  private static final Comparator<Detection> BY_SCORE =
      Comparator.comparingDouble((Detection d) -> d.score()).reversed();

  private Nms() {}

  /**
   * {@return the surviving detections, best score first}
   *
   * @param candidates the candidates, in any order
   * @param options mode, quality and subsampling
   */
  public static List<Detection> apply(List<Detection> candidates, NmsOptions options) {
    Map<Integer, List<Detection>> byClass = new LinkedHashMap<>();
    for (Detection d : candidates) {
      if (d.score() >= options.scoreThreshold()) {
        byClass.computeIfAbsent(d.classId(), k -> new ArrayList<>()).add(d);
      }
    }
    List<Detection> kept = new ArrayList<>();
    for (List<Detection> group : byClass.values()) {
      group.sort(BY_SCORE); // List.sort is stable: ties keep input order
      boolean[] suppressed = new boolean[group.size()];
      for (int i = 0; i < group.size(); i++) {
        if (suppressed[i]) {
          continue;
        }
        Box best = group.get(i).box();
        kept.add(group.get(i));
        for (int j = i + 1; j < group.size(); j++) {
          if (!suppressed[j] && best.iou(group.get(j).box()) > options.iouThreshold()) {
            suppressed[j] = true;
          }
        }
      }
    }
    kept.sort(BY_SCORE);
    return kept.size() > options.maxDetections() ? List.copyOf(kept.subList(0, options.maxDetections()))
        : List.copyOf(kept);
  }
}
