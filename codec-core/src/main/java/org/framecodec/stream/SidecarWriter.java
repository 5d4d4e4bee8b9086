package org.framecodec.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.framecodec.detect.Detection;
import org.framecodec.transport.DetectionsJson;

/**
 * Writes detections as JSON Lines: one JSON object per written frame, one frame per line, so
 * per-frame tagging and moderation get the data without decoding the picture.
 *
 * <pre>{@code
 * {"stream":"cam1","frame":12,"pts_us":480000,"width":1280,"height":720,"analysed":true,
 *  "detections":[{"box":[412.5,80.1,530.2,197.8],"score":0.93,"class":0,
 *                 "keypoints":[[440.1,120.3],...]}]}
 * }</pre>
 *
 * <p>{@code frame} counts the stream's frames from 0 as decoded (frames dropped in live mode leave
 * gaps); {@code pts_us} is the presentation time in microseconds, as written to the output;
 * {@code width}/{@code height} are the analysed frame's, which the box and keypoint pixels refer
 * to. {@code analysed} is false, with an {@code error} text, for a frame the detector failed on
 * (live mode passes such frames through without boxes). Each line is flushed as it is written,
 * so a reader tailing the file sees every frame at once.
 *
 * <p>Thread-safe: lines from several streams are written whole, in call order. {@link #close()}
 * closes the file and is idempotent; writing after it throws {@link IllegalStateException}.
 */
public final class SidecarWriter implements AutoCloseable {
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private final OutputStream out;
  private final JsonGenerator json;
  private boolean closed;
  private long lines;

  private SidecarWriter(OutputStream out) throws IOException {
    this.out = out;
    this.json = JSON.createGenerator(out);
    json.setRootValueSeparator(null);
  }

  /**
   * {@return a writer to {@code file}, created or truncated}
   *
   * @param file the JSON Lines file
   * @throws IOException when the file cannot be created
   */
  public static SidecarWriter open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return new SidecarWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  /**
   * {@return a writer to {@code out}, which {@link #close()} closes}
   *
   * @param out where the lines go
   * @throws IOException when the JSON generator cannot be made
   */
  public static SidecarWriter to(OutputStream out) throws IOException {
    return new SidecarWriter(Objects.requireNonNull(out, "out"));
  }

  /**
   * Writes one line for an analysed frame.
   *
   * @param streamId the frame's stream
   * @param frameNumber its number in the stream, from 0
   * @param ptsMicros its presentation time in microseconds
   * @param width the analysed frame's width
   * @param height the analysed frame's height
   * @param detections its detections, in its pixel coordinates
   */
  public synchronized void write(String streamId, long frameNumber, long ptsMicros, int width,
      int height, List<Detection> detections) {
    writeLine(streamId, frameNumber, ptsMicros, width, height, detections, null);
  }

  /**
   * Writes one line for a frame the detector failed on.
   *
   * @param streamId the frame's stream
   * @param frameNumber its number in the stream, from 0
   * @param ptsMicros its presentation time in microseconds
   * @param width the analysed frame's width
   * @param height the analysed frame's height
   * @param error why it was not analysed
   */
  public synchronized void writeNotAnalysed(String streamId, long frameNumber, long ptsMicros,
      int width, int height, String error) {
    writeLine(streamId, frameNumber, ptsMicros, width, height, List.of(), Objects.requireNonNull(error, "error"));
  }

  private void writeLine(String streamId, long frameNumber, long ptsMicros, int width, int height,
      List<Detection> detections, String error) {
    if (closed) {
      throw new IllegalStateException("the sidecar is closed");
    }
    try {
      json.writeStartObject();
      json.writeStringField("stream", streamId);
      json.writeNumberField("frame", frameNumber);
      json.writeNumberField("pts_us", ptsMicros);
      json.writeNumberField("width", width);
      json.writeNumberField("height", height);
      json.writeBooleanField("analysed", error == null);
      if (error != null) {
        json.writeStringField("error", error);
      }
      json.writeArrayFieldStart("detections");
      for (Detection d : detections) {
        DetectionsJson.writeDetection(json, d, true);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.flush();
      out.write('\n');
      out.flush();
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sidecar", e);
    }
  }

  /** {@return the lines written so far} */
  public synchronized long lines() {
    return lines;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      json.close();
    } finally {
      out.close();
    }
  }
}
