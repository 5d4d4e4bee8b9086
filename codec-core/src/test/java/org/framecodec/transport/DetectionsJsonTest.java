package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.framecodec.CorruptPayloadException;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Keypoint;
import org.junit.jupiter.api.Test;

class DetectionsJsonTest {
  private final DetectionsJson json = new DetectionsJson();

  private List<List<Detection>> read(String doc, int frames) {
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    return json.read(b, 0, b.length, frames);
  }

  private String error(String doc, int frames) {
    return assertThrows(CorruptPayloadException.class, () -> read(doc, frames)).getMessage();
  }

  @Test
  void roundTripKeepsEveryValue() {
    List<List<Detection>> in = List.of(
        List.of(new Detection(new Box(178.68f, 82.25f, 271.21f, 174.79f), 0.921f, 0,
            List.of(new Keypoint(206.84f, 100.5f), new Keypoint(-1.5f, 1e-3f))),
            new Detection(new Box(0, 0, 1, 1), 1f, 7)),
        List.of());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    json.write(in, out);
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"frames\":[[{\"box\":[178.68,82.25,271.21,174.79],\"score\":0.921,\"class\":0,"
        + "\"keypoints\":[[206.84,100.5],"), text);
    assertEquals(in, read(text, 2));
  }

  @Test
  void unknownFieldsAndNullKeypointsAreAccepted() {
    List<List<Detection>> r = read("{\"model\": {\"name\": \"x\"}, \"frames\": [[{\"box\": [1, 2, 3, 4],"
        + " \"score\": 1, \"class\": 2, \"keypoints\": null, \"label\": \"face\"}]], \"ms\": [1.5]}", 1);
    assertEquals(new Detection(new Box(1, 2, 3, 4), 1f, 2), r.get(0).get(0));
  }

  @Test
  void structureErrorsNameTheField() {
    assertEquals("the document must be an object, got an array", error("[]", 0));
    assertEquals("the document must be an object, got the end of the body", error("", 0));
    assertEquals("the document has no \"frames\" field", error("{}", 0));
    assertEquals("\"frames\" must be an array, got an object", error("{\"frames\": {}}", 0));
    assertEquals("frames[0] must be an array, got an object", error("{\"frames\": [{}]}", 1));
    assertEquals("frames[0][0] must be an object, got an array", error("{\"frames\": [[[]]]}", 1));
    assertTrue(error("{\"frames\": []} {}", 0).startsWith("unexpected START_OBJECT after the document"));
    assertTrue(error("{\"frames\": [], \"frames\": []}", 0).contains("not valid JSON"));
  }

  @Test
  void detectionErrorsNameTheFieldAndValue() {
    String pre = "{\"frames\": [[{";
    String post = "}]]}";
    assertEquals("frames[0][0] lacks \"box\"", error(pre + "\"score\": 0.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0] lacks \"score\"", error(pre + "\"box\": [1,2,3,4], \"class\": 0" + post, 1));
    assertEquals("frames[0][0] lacks \"class\"", error(pre + "\"box\": [1,2,3,4], \"score\": 0.5" + post, 1));
    assertEquals("frames[0][0].box must have 4 numbers, got 3",
        error(pre + "\"box\": [1,2,3], \"score\": 0.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0].box must have 4 numbers, got more",
        error(pre + "\"box\": [1,2,3,4,5], \"score\": 0.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0].box[1] must be a number, got VALUE_STRING",
        error(pre + "\"box\": [1,\"2\",3,4], \"score\": 0.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0].box corners must be ordered (x1 <= x2, y1 <= y2), got [3.0, 2.0, 1.0, 4.0]",
        error(pre + "\"box\": [3,2,1,4], \"score\": 0.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0].score must be in [0, 1], got 1.5",
        error(pre + "\"box\": [1,2,3,4], \"score\": 1.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0].class must be an integer, got VALUE_NUMBER_FLOAT",
        error(pre + "\"box\": [1,2,3,4], \"score\": 0.5, \"class\": 0.5" + post, 1));
    assertEquals("frames[0][0].class must be 0..2147483647, got -1",
        error(pre + "\"box\": [1,2,3,4], \"score\": 0.5, \"class\": -1" + post, 1));
    assertEquals("frames[0][0].box[0] must be finite, got 1e39",
        error(pre + "\"box\": [1e39,2,3,4], \"score\": 0.5, \"class\": 0" + post, 1));
    assertEquals("frames[0][0].keypoints[0] must have 2 numbers, got 1",
        error(pre + "\"box\": [1,2,3,4], \"score\": 0.5, \"class\": 0, \"keypoints\": [[1]]" + post, 1));
  }

  @Test
  void limitsAreEnforced() {
    StringBuilder kps = new StringBuilder("[");
    for (int i = 0; i <= DetectionsJson.MAX_KEYPOINTS; i++) {
      kps.append(i == 0 ? "" : ",").append("[1,1]");
    }
    kps.append("]");
    assertEquals("frames[0][0].keypoints has more than 64 keypoints", error("{\"frames\": [[{\"box\": [1,2,3,4], "
        + "\"score\": 0.5, \"class\": 0, \"keypoints\": " + kps + "}]]}", 1));
    assertTrue(error("{\"x\": [[[[[[[[[[1]]]]]]]]]], \"frames\": []}", 0).contains("size limit"));
    assertEquals("maxDetectionsPerFrame must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> new DetectionsJson(0)).getMessage());
    assertEquals("expectedFrames must not be negative, got -1",
        assertThrows(IllegalArgumentException.class, () -> json.read(new byte[2], 0, 2, -1)).getMessage());
  }
}
