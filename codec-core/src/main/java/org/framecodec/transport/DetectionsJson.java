package org.framecodec.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.detect.Box;
import org.framecodec.detect.Detection;
import org.framecodec.detect.Keypoint;

/**
 * The JSON document an inference service answers with: the detections of each frame of the
 * request, in request order.
 *
 * <pre>{@code
 * {"frames": [
 *   [ {"box": [178.68, 82.25, 271.21, 174.79], "score": 0.921, "class": 0,
 *      "keypoints": [[206.84, 100.5], [251.31, 109.31], ...]} ],
 *   [ ]
 * ]}
 * }</pre>
 *
 * <table>
 *   <caption>fields of one detection</caption>
 *   <tr><th>field</th><th>required</th><th>value</th></tr>
 *   <tr><td>{@code box}</td><td>yes</td><td>{@code [x1, y1, x2, y2]} in the frame's own pixels,
 *       finite, {@code x1 <= x2}, {@code y1 <= y2}</td></tr>
 *   <tr><td>{@code score}</td><td>yes</td><td>number in [0, 1]</td></tr>
 *   <tr><td>{@code class}</td><td>yes</td><td>integer, at least 0</td></tr>
 *   <tr><td>{@code keypoints}</td><td>no</td><td>list of {@code [x, y]}, finite; absent or
 *       {@code null} means none</td></tr>
 * </table>
 *
 * <p>{@code frames} must have exactly as many entries as the request had frames. Unknown fields
 * are skipped at the top level and in detections (a service may add timings); a known field twice
 * is refused, as is anything after the document. The reader is bounded: body bytes (checked by
 * the caller before parsing), {@link #maxDetectionsPerFrame()}, at most {@link #MAX_KEYPOINTS}
 * keypoints per detection and a nesting depth of 8, so a hostile or broken service cannot make the
 * client allocate without bound. Every violation is a {@link CorruptPayloadException} naming
 * the frame, detection and field.
 *
 * <p>Immutable and thread-safe.
 */
public final class DetectionsJson {
  /** Most keypoints one detection may carry (BlazeFace has 6, COCO pose 17). */
  public static final int MAX_KEYPOINTS = 64;
  /** Default cap on detections per frame: YOLOv5's own cap is 300. */
  public static final int DEFAULT_MAX_DETECTIONS_PER_FRAME = 1000;
  private static final int MAX_NESTING = 8;

  private final int maxDetectionsPerFrame;
  private final JsonFactory factory;

  /** A reader and writer with {@link #DEFAULT_MAX_DETECTIONS_PER_FRAME}. */
  public DetectionsJson() {
    this(DEFAULT_MAX_DETECTIONS_PER_FRAME);
  }

  /**
   * A reader and writer refusing more than {@code maxDetectionsPerFrame} detections in a frame.
   *
   * @param maxDetectionsPerFrame the most detections a frame may have
   */
  public DetectionsJson(int maxDetectionsPerFrame) {
    if (maxDetectionsPerFrame <= 0) {
      throw new IllegalArgumentException("maxDetectionsPerFrame must be positive, got " + maxDetectionsPerFrame);
    }
    this.maxDetectionsPerFrame = maxDetectionsPerFrame;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING).maxNumberLength(64).maxStringLength(1 << 16).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .build();
  }

  /** {@return the most detections a frame may have} */
  public int maxDetectionsPerFrame() {
    return maxDetectionsPerFrame;
  }

  /**
   * Writes the document for {@code perFrame} to {@code out}, which is not closed.
   *
   * @param perFrame for each frame in order, its detections
   * @param out where to write; not closed
   */
  public void write(List<List<Detection>> perFrame, OutputStream out) {
    Objects.requireNonNull(perFrame, "perFrame");
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("frames");
      for (List<Detection> frame : perFrame) {
        g.writeStartArray();
        for (Detection d : frame) {
          writeDetection(g, d, false);
        }
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the detections document", e);
    }
  }

  /**
   * Writes one detection as the object every FrameCodec JSON output uses (this document, the
   * stream sidecar, Kafka results, {@code framecodec detect}):
   * {@code {"box":[x1,y1,x2,y2],"score":s,"class":c,"keypoints":[[x,y],...]}}, keypoints only
   * when the head gives any.
   *
   * @param g the generator, positioned where a value may start; not closed
   * @param d the detection
   * @param rounded coordinates to 0.01 px and the score to 4 decimals (sub-pixel noise beyond that
   *     is not information: for line-per-frame logs), or every float as it is
   * @throws IOException from the generator
   */
  public static void writeDetection(JsonGenerator g, Detection d, boolean rounded) throws IOException {
    g.writeStartObject();
    Box b = d.box();
    g.writeArrayFieldStart("box");
    writeCoordinate(g, b.x1(), rounded);
    writeCoordinate(g, b.y1(), rounded);
    writeCoordinate(g, b.x2(), rounded);
    writeCoordinate(g, b.y2(), rounded);
    g.writeEndArray();
    if (rounded) {
      g.writeNumberField("score", Math.round(d.score() * 1e4) / 1e4);
    } else {
      g.writeNumberField("score", d.score());
    }
    g.writeNumberField("class", d.classId());
    if (!d.keypoints().isEmpty()) {
      g.writeArrayFieldStart("keypoints");
      for (Keypoint k : d.keypoints()) {
        g.writeStartArray();
        writeCoordinate(g, k.x(), rounded);
        writeCoordinate(g, k.y(), rounded);
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void writeCoordinate(JsonGenerator g, float v, boolean rounded) throws IOException {
    if (rounded) {
      g.writeNumber(Math.round(v * 100.0) / 100.0);
    } else {
      g.writeNumber(v);
    }
  }

  /**
   * Reads a document that must hold exactly {@code expectedFrames} frames.
   *
   * @param body the response body
   * @param offset index of its first byte
   * @param length its length in bytes
   * @param expectedFrames the frame count the document must have
   * @return per frame, its detections in document order; unmodifiable
   * @throws CorruptPayloadException when the document breaks any rule above
   */
  public List<List<Detection>> read(byte[] body, int offset, int length, int expectedFrames) {
    Objects.checkFromIndexSize(offset, length, body.length);
    if (expectedFrames < 0) {
      throw new IllegalArgumentException("expectedFrames must not be negative, got " + expectedFrames);
    }
    try (JsonParser p = factory.createParser(body, offset, length)) {
      nextExpect(p, JsonToken.START_OBJECT, "the document");
      List<List<Detection>> frames = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("frames")) {
          frames = readFrames(p, expectedFrames);
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new CorruptPayloadException("the document is truncated");
      }
      if (p.nextToken() != null) {
        throw new CorruptPayloadException("unexpected " + p.currentToken() + " after the document");
      }
      if (frames == null) {
        throw new CorruptPayloadException("the document has no \"frames\" field");
      }
      if (frames.size() != expectedFrames) {
        throw new CorruptPayloadException("the response has " + frames.size()
            + " frames, the request had " + expectedFrames);
      }
      return List.copyOf(frames);
    } catch (StreamConstraintsException e) {
      throw new CorruptPayloadException("the document breaks a size limit: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      // JsonParseException and friends: the service sent something that is not JSON.
      throw new CorruptPayloadException("the response is not valid JSON: " + e.getMessage(), e);
    }
  }

  private List<List<Detection>> readFrames(JsonParser p, int expectedFrames) throws IOException {
    expect(p, JsonToken.START_ARRAY, "\"frames\"");
    List<List<Detection>> frames = new ArrayList<>(Math.min(expectedFrames, 1024));
    while (p.nextToken() != JsonToken.END_ARRAY) {
      int f = frames.size();
      if (f >= expectedFrames) {
        // Refuse before parsing the extra frame: the count alone is the error.
        throw new CorruptPayloadException("the response has more than " + expectedFrames
            + " frames, the request had " + expectedFrames);
      }
      expect(p, JsonToken.START_ARRAY, "frames[" + f + "]");
      List<Detection> dets = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (dets.size() >= maxDetectionsPerFrame) {
          throw new CorruptPayloadException("frames[" + f + "] has more than "
              + maxDetectionsPerFrame + " detections");
        }
        dets.add(readDetection(p, "frames[" + f + "][" + dets.size() + "]"));
      }
      frames.add(List.copyOf(dets));
    }
    return frames;
  }

  private Detection readDetection(JsonParser p, String where) throws IOException {
    expect(p, JsonToken.START_OBJECT, where);
    float[] box = null;
    Float score = null;
    Integer classId = null;
    List<Keypoint> keypoints = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "box" -> box = readNumbers(p, where + ".box", 4);
        case "score" -> {
          float s = readFloat(p, where + ".score");
          if (!(s >= 0f && s <= 1f)) {
            throw new CorruptPayloadException(where + ".score must be in [0, 1], got " + s);
          }
          score = s;
        }
        case "class" -> {
          if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new CorruptPayloadException(where + ".class must be an integer, got " + p.currentToken());
          }
          long c = p.getLongValue();
          if (c < 0 || c > Integer.MAX_VALUE) {
            throw new CorruptPayloadException(where + ".class must be 0.." + Integer.MAX_VALUE + ", got " + c);
          }
          classId = (int) c;
        }
        case "keypoints" -> keypoints = readKeypoints(p, where + ".keypoints");
        default -> p.skipChildren();
      }
    }
    if (box == null || score == null || classId == null) {
      throw new CorruptPayloadException(where + " lacks \""
          + (box == null ? "box" : score == null ? "score" : "class") + "\"");
    }
    if (!(box[0] <= box[2]) || !(box[1] <= box[3])) {
      throw new CorruptPayloadException(where + ".box corners must be ordered (x1 <= x2, y1 <= y2), got ["
          + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3] + "]");
    }
    return new Detection(new Box(box[0], box[1], box[2], box[3]), score, classId, keypoints);
  }

  private List<Keypoint> readKeypoints(JsonParser p, String where) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    expect(p, JsonToken.START_ARRAY, where);
    List<Keypoint> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (out.size() >= MAX_KEYPOINTS) {
        throw new CorruptPayloadException(where + " has more than " + MAX_KEYPOINTS + " keypoints");
      }
      float[] xy = readNumbers(p, where + "[" + out.size() + "]", 2);
      out.add(new Keypoint(xy[0], xy[1]));
    }
    return out;
  }

  private static float[] readNumbers(JsonParser p, String where, int n) throws IOException {
    expect(p, JsonToken.START_ARRAY, where);
    float[] out = new float[n];
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (i == n) {
        throw new CorruptPayloadException(where + " must have " + n + " numbers, got more");
      }
      out[i] = readFloat(p, where + "[" + i + "]");
      i++;
    }
    if (i != n) {
      throw new CorruptPayloadException(where + " must have " + n + " numbers, got " + i);
    }
    return out;
  }

  private static float readFloat(JsonParser p, String where) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new CorruptPayloadException(where + " must be a number, got " + t);
    }
    float v = p.getFloatValue();
    if (!Float.isFinite(v)) {
      throw new CorruptPayloadException(where + " must be finite, got " + p.getText());
    }
    return v;
  }

  private static void nextExpect(JsonParser p, JsonToken token, String where) throws IOException {
    p.nextToken();
    expect(p, token, where);
  }

  private static void expect(JsonParser p, JsonToken token, String where) {
    JsonToken t = p.currentToken();
    if (t != token) {
      throw new CorruptPayloadException(where + " must be " + describe(token) + ", got "
          + (t == null ? "the end of the body" : describe(t)));
    }
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> t.asString() != null ? "'" + t.asString() + "'" : t.name();
    };
  }
}
