package org.framecodec.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The soak of {@code framecodec serve}, short (25 s) for CI; the 5-minute run is
 * {@code ServeSoak --seconds 300} (docs/reliability.md). Real server process, real detector,
 * 8 clients with 30% attacks.
 */
class ServeSoakTest {
  @Test
  void validRequestsNeverFailAndResidentMemoryStaysFlatUnderMixedAttack() throws Exception {
    ServeSoak.Settings s = new ServeSoak.Settings(25, 8, 30, null, null, "768m"); // bundled model and frames
    ServeSoak.Result r = ServeSoak.run(s, System.out);
    assertEquals(0, r.validErrors(), "valid requests that failed: " + r.errorSamples());
    assertEquals(0, r.hostileMismatches(), "attacks answered wrongly: " + r.errorSamples());
    assertTrue(r.validRequests() >= 8, "valid requests served: " + r.validRequests());
    for (ServeSoak.Kind k : ServeSoak.Kind.values()) {
      assertTrue(r.perKind().get(k).count() > 0, k + " was never sent");
    }
    assertTrue(r.rssWarmKb() > 0 && r.rssMaxAfterWarmKb() > 0, "memory was sampled");
    assertTrue(r.rssGrowth() <= 0.10, String.format("resident memory grew %.1f%% after warm-up (%d -> %d kB)",
        100 * r.rssGrowth(), r.rssWarmKb(), r.rssMaxAfterWarmKb()));
  }
}
