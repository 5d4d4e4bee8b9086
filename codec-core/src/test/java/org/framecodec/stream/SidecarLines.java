package org.framecodec.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.detect.Box;

/** Reads a JSON Lines sidecar back, strictly: every line must be one object of the documented schema. */
final class SidecarLines {
  private static final JsonFactory JSON = new JsonFactory();

  /** One line: a frame and its best box (null when none). */
  record Line(String stream, long frame, long ptsMicros, int width, int height, boolean analysed,
      int detections, Box best, float bestScore) {}

  private SidecarLines() {}

  static List<Line> read(Path file) throws IOException {
    List<Line> lines = new ArrayList<>();
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lines.add(parse(text));
    }
    return lines;
  }

  static List<Line> of(List<Line> all, String stream) {
    return all.stream().filter(l -> l.stream().equals(stream)).toList();
  }

  private static Line parse(String text) throws IOException {
    try (JsonParser p = JSON.createParser(text)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, text);
      String stream = null;
      long frame = -1;
      long pts = Long.MIN_VALUE;
      int width = -1;
      int height = -1;
      Boolean analysed = null;
      int count = 0;
      Box best = null;
      float bestScore = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "stream" -> stream = p.getText();
          case "frame" -> frame = p.getLongValue();
          case "pts_us" -> pts = p.getLongValue();
          case "width" -> width = p.getIntValue();
          case "height" -> height = p.getIntValue();
          case "analysed" -> analysed = p.getBooleanValue();
          case "error" -> p.getText();
          case "detections" -> {
            expect(p.currentToken(), JsonToken.START_ARRAY, text);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              count++;
              float[] box = null;
              float score = -1;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("box")) {
                  box = new float[4];
                  for (int i = 0; i < 4; i++) {
                    p.nextToken();
                    box[i] = p.getFloatValue();
                  }
                  expect(p.nextToken(), JsonToken.END_ARRAY, text);
                } else if (f.equals("score")) {
                  score = p.getFloatValue();
                } else {
                  p.skipChildren();
                }
              }
              if (box == null || score < 0) {
                throw new AssertionError("detection without box or score: " + text);
              }
              if (score > bestScore) {
                bestScore = score;
                best = new Box(box[0], box[1], box[2], box[3]);
              }
            }
          }
          default -> throw new AssertionError("unknown field '" + name + "' in " + text);
        }
      }
      if (stream == null || frame < 0 || pts == Long.MIN_VALUE || width <= 0 || height <= 0 || analysed == null) {
        throw new AssertionError("incomplete sidecar line: " + text);
      }
      return new Line(stream, frame, pts, width, height, analysed, count, best, bestScore);
    }
  }

  private static void expect(JsonToken got, JsonToken want, String text) {
    if (got != want) {
      throw new AssertionError("expected " + want + ", got " + got + " in " + text);
    }
  }
}
