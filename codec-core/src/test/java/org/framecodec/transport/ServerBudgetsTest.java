package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import org.framecodec.Limits;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;
import org.junit.jupiter.api.Test;

/** The receiver's process-wide budgets and its body pool, each at its edge. */
class ServerBudgetsTest {

  private static ServerRequest request(byte[] body) {
    return new ServerRequest("POST", "/detect", "", Map.of(), body, body.length,
        new InetSocketAddress("127.0.0.1", 1));
  }

  @Test
  void aRequestThatDoesNotFitTheInFlightPixelsIs503AndTheBudgetIsGivenBack() {
    EncodedFrame frame = TransportTestData.frames().get(0); // 512 x 512
    long pixels = 512L * 512;
    Limits limits = Limits.builder().maxRequestPixels(pixels).maxInFlightPixels(2 * pixels).build();
    byte[] body = new WireWriter().write(Framing.JSON, frame);
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(org.framecodec.CorpusFrames.frontModel()))) {
      DetectionGate gate = new DetectionGate(detector, limits);
      MemoryBudget budget = gate.pixels();
      DetectEndpoint endpoint = new DetectEndpoint(gate);
      assertTrue(budget.tryReserve(pixels + 1)); // another request holds more than half
      ServerBusyException busy = assertThrows(ServerBusyException.class, () -> endpoint.handle(request(body)));
      assertTrue(busy.getMessage().contains("holds " + (pixels + 1) + " of its " + 2 * pixels
          + " in-flight pixels"), busy.getMessage());
      budget.release(pixels + 1);
      assertEquals(200, endpoint.handle(request(body)).status());
      assertEquals(0, budget.used(), "given back after the request");
    }
  }

  @Test
  void bodyArraysAreReusedBoundedAndNotKeptWhenUnusuallyLarge() {
    BodyBufferPool pool = new BodyBufferPool(1 << 20, 256 << 10);
    byte[] a = pool.acquire(100_000); // class 128 KiB
    assertEquals(128 << 10, a.length);
    pool.release(a);
    assertSame(a, pool.acquire(70_000), "an idle array of the class is reused");
    byte[] large = pool.acquire(300_000); // over the largest kept array: exact size, not kept
    assertEquals(300_000, large.length);
    pool.release(large);
    assertEquals(0, pool.pooledBytes());
    assertNotSame(large, pool.acquire(300_000));
    for (int i = 0; i < 20; i++) {
      pool.release(new byte[256 << 10]);
    }
    assertEquals(1 << 20, pool.pooledBytes(), "idle arrays stop at the pool's bound");
  }

  @Test
  void theBudgetRefusesWhatWouldPassItsCapacity() {
    MemoryBudget b = new MemoryBudget("bytes", 100);
    assertTrue(b.tryReserve(60));
    assertFalse(b.tryReserve(41));
    assertTrue(b.tryReserve(40));
    b.release(100);
    assertEquals(0, b.used());
    assertThrows(IllegalStateException.class, () -> b.release(1));
  }
}
