package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.framecodec.CorpusFrames;
import org.framecodec.CorruptPayloadException;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;

/**
 * What the wire readers and writers do when the other side fails part-way: a batch whose stream
 * is interrupted or breaks mid-read, an output that fills up, a consumer stream that throws.
 * Each is one exception (never a partial batch), and the reader or writer, which holds no state
 * between calls, goes on working. (The batching package is not on this branch; a batch here is a
 * multi-frame container or JSON document.)
 */
class WireFailureBehaviourTest {
  private static final byte[] JPEG = CorpusFrames.jpeg(64, 48, true);
  private static final List<EncodedFrame> BATCH = List.of(
      EncodedFrame.of(JPEG, 64, 48, 3, JpegMode.CV2_YUV, 80),
      EncodedFrame.builder().payload(JPEG).size(64, 48).mode(JpegMode.CV2_YUV).streamId("cam-2").build(),
      EncodedFrame.of(JPEG, 64, 48, 3, JpegMode.CV2_YUV, 60));

  /** A stream of {@code data} that fails with {@code failure} after {@code after} bytes. */
  private static InputStream failingAfter(byte[] data, int after, IOException failure) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      private int read;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (read >= after) {
          throw failure;
        }
        int n = super.read(b, off, Math.min(len, after - read));
        read += Math.max(0, n);
        return n;
      }
    };
  }

  @Test
  void aBatchWhoseStreamIsInterruptedMidReadIsOneExceptionAndTheReaderGoesOn() {
    WireReader reader = new WireReader();
    RawContainer raw = new RawContainer();
    JsonEnvelope json = new JsonEnvelope();
    byte[] rawBody = raw.toBytes(BATCH);
    byte[] jsonBody = json.batchToBytes(BATCH);
    List<Function<InputStream, List<EncodedFrame>>> readers = List.of(
        in -> reader.read(in).frames(), raw::read, json::read);
    List<byte[]> bodies = List.of(rawBody, rawBody, jsonBody);
    for (int i = 0; i < readers.size(); i++) {
      Function<InputStream, List<EncodedFrame>> read = readers.get(i);
      byte[] body = bodies.get(i);
      InterruptedIOException interrupted = new InterruptedIOException("read interrupted");
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> read.apply(failingAfter(body, body.length / 2, interrupted)));
      assertSame(interrupted, e.getCause(), "the stream's own exception is the cause");
      // Nothing is kept from the failed read: the next one gives the whole batch.
      assertEquals(BATCH, read.apply(new ByteArrayInputStream(body)));
    }
  }

  @Test
  void aBatchCutShortByTheSenderIsCorruptNotPartial() {
    byte[] rawBody = new RawContainer().toBytes(BATCH);
    byte[] jsonBody = new JsonEnvelope().batchToBytes(BATCH);
    for (byte[] body : List.of(rawBody, jsonBody)) {
      byte[] cut = Arrays.copyOf(body, body.length * 2 / 3);
      assertThrows(org.framecodec.CorruptPayloadException.class, () -> new WireReader().read(cut));
      assertThrows(org.framecodec.CorruptPayloadException.class,
          () -> new WireReader().read(new ByteArrayInputStream(cut)));
    }
  }

  /** An output that accepts {@code room} bytes, then fails as a full disk or closed socket does. */
  private static final class FullOutput extends OutputStream {
    private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    private final int room;
    private final RuntimeException unchecked;

    FullOutput(int room, RuntimeException unchecked) {
      this.room = room;
      this.unchecked = unchecked;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (taken.size() + len > room) {
        if (unchecked != null) {
          throw unchecked;
        }
        throw new IOException("no space left on device");
      }
      taken.write(b, off, len);
    }
  }

  @Test
  void aFullOutputIsAnUncheckedIoExceptionAndTheWriterGoesOn() {
    RawContainer raw = new RawContainer();
    JsonEnvelope json = new JsonEnvelope();
    UncheckedIOException r = assertThrows(UncheckedIOException.class, () -> raw.write(BATCH, new FullOutput(100, null)));
    assertEquals("no space left on device", r.getCause().getMessage());
    UncheckedIOException j = assertThrows(UncheckedIOException.class,
        () -> json.writeBatch(BATCH, new FullOutput(100, null)));
    assertEquals("no space left on device", j.getCause().getMessage());
    // A caller array that is too small is refused before anything is written.
    byte[] small = new byte[raw.encodedSize(BATCH) - 1];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> raw.write(BATCH, small, 0));
    assertTrue(e.getMessage().contains("needs " + (small.length + 1) + " bytes"), e.getMessage());
    assertArrayEquals(new byte[small.length], small, "a refused write changed the array");
    byte[] b64 = new byte[Base64Codec.encodedLength(JPEG.length) - 1];
    assertThrows(IllegalArgumentException.class, () -> Base64Codec.encode(JPEG, 0, JPEG.length, b64, 0));
    assertArrayEquals(new byte[b64.length], b64, "a refused base64 encode changed the array");
    // And the writers go on.
    assertEquals(BATCH, raw.read(raw.toBytes(BATCH)));
    assertEquals(BATCH, json.read(json.batchToBytes(BATCH)));
  }

  @Test
  void aConsumerThatThrowsGetsItsOwnExceptionBackAndTheWriterGoesOn() {
    IllegalStateException consumerFailure = new IllegalStateException("consumer gave up");
    RawContainer raw = new RawContainer();
    JsonEnvelope json = new JsonEnvelope();
    assertSame(consumerFailure, assertThrows(IllegalStateException.class,
        () -> raw.write(BATCH, new FullOutput(500, consumerFailure))));
    assertSame(consumerFailure, assertThrows(IllegalStateException.class,
        () -> json.writeBatch(BATCH, new FullOutput(500, consumerFailure))));
    ByteArrayOutputStream ok = new ByteArrayOutputStream();
    raw.write(BATCH, ok);
    assertArrayEquals(raw.toBytes(BATCH), ok.toByteArray());
  }
}
