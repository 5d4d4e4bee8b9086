package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.framecodec.bench.FrameCodecCliTest.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code framecodec oip-transport}: a short run against a real receiver process (transport only,
 * no detector) prints a row per encoding whose byte columns obey the protocol's arithmetic, and
 * bad arguments are usage errors.
 */
class OipTransportCommandTest {
  /** The table's rows by encoding: frames/s, request B/frame, response B/frame. */
  private static Map<String, double[]> rows(String out) {
    Map<String, double[]> rows = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] c = line.split("\\|");
      if (c.length > 8 && c[1].trim().equals("none")) {
        rows.put(c[2].trim(), new double[] {num(c[4]), num(c[5]), num(c[6])});
      }
    }
    return rows;
  }

  private static double num(String cell) {
    return Double.parseDouble(cell.trim().replace(",", ""));
  }

  @Test
  void aShortRunSendsEveryEncodingAndTheirSizesAddUp() {
    Result r = FrameCodecCliTest.cli("oip-transport", "--seconds", "0.5", "--warmup", "0.2", "--rounds", "1",
        "--batches", "4", "--backends", "none");
    assertEquals(0, r.code(), r.err());
    Map<String, double[]> rows = rows(r.out());
    assertEquals(List.of("json envelope", "oip grpc", "oip rest binary", "oip rest json", "raw container"),
        new ArrayList<>(new java.util.TreeSet<>(rows.keySet())), r.out());
    for (var e : rows.entrySet()) {
      assertTrue(e.getValue()[0] > 0, e.getKey() + " moved no frames: " + r.out());
    }
    double binary = rows.get("oip rest binary")[1];
    double grpc = rows.get("oip grpc")[1];
    double json = rows.get("oip rest json")[1];
    double raw = rows.get("raw container")[1];
    double envelope = rows.get("json envelope")[1];
    // The payloads are ~132 kB: base64 adds a third, the binary extension 4 bytes a frame plus a
    // shared JSON header, gRPC about as much as REST binary, our raw container a small header.
    assertTrue(json > 1.30 * binary && json < 1.40 * binary, "REST JSON vs binary: " + json + " vs " + binary);
    assertTrue(envelope > 1.30 * raw, "JSON envelope vs raw: " + envelope + " vs " + raw);
    assertTrue(Math.abs(grpc - binary) < 0.01 * binary, "gRPC vs REST binary: " + grpc + " vs " + binary);
    assertTrue(Math.abs(binary - raw) < 0.01 * raw, "REST binary vs raw container: " + binary + " vs " + raw);
  }

  @Test
  void anUnknownEncodingIsAUsageErrorNamingTheChoices() {
    Result r = FrameCodecCliTest.cli("oip-transport", "--variants", "oip-rest-binary,carrier-pigeon");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--variants from [json-envelope, raw-container, oip-rest-json, oip-rest-binary,"
        + " oip-grpc]"), r.err());
  }
}
