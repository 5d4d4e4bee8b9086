package org.framecodec.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.framecodec.CorpusFrames;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time skip over entropy-coded data finds exactly the marker a byte-at-a-time
 * decoder's reader finds, wherever the {@code FF} bytes fall relative to the eight-byte words,
 * in arrays and direct buffers, at any offset, up to the last byte of the range.
 */
class JpegScanCounterTest {
  /** The reader's rule, one byte at a time: the reference. */
  static int reference(byte[] d, int pos, int end) {
    while (pos < end) {
      if (d[pos] != (byte) 0xFF) {
        pos++;
        continue;
      }
      if (pos + 1 >= end) {
        return end;
      }
      int next = d[pos + 1] & 0xFF;
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        pos += 2;
      } else if (next == 0xFF) {
        pos++;
      } else {
        return pos;
      }
    }
    return end;
  }

  @Test
  void findsTheSameMarkerAsAByteAtATimeReader() {
    SplittableRandom rnd = new SplittableRandom(17);
    byte[][] tails = {{0}, {(byte) 0xD3}, {(byte) 0xFF}, {(byte) 0xD9}, {(byte) 0xC4}, {(byte) 0x80}};
    for (int round = 0; round < 20_000; round++) {
      int len = 1 + rnd.nextInt(90);
      byte[] d = new byte[len];
      for (int i = 0; i < len; i++) {
        d[i] = (byte) rnd.nextInt(0xFF); // no FF except where placed below
      }
      int marks = rnd.nextInt(4);
      for (int m = 0; m < marks; m++) {
        int at = rnd.nextInt(len);
        d[at] = (byte) 0xFF;
        if (at + 1 < len) {
          d[at + 1] = tails[rnd.nextInt(tails.length)][0];
        }
      }
      int offset = rnd.nextInt(9);
      byte[] padded = new byte[offset + len + rnd.nextInt(9)];
      System.arraycopy(d, 0, padded, offset, len);
      ByteBuffer direct = ByteBuffer.allocateDirect(padded.length);
      direct.put(padded).clear();
      int start = rnd.nextInt(len);
      int expected = reference(d, start, len);
      ByteRegion inArray = ByteRegion.of(padded, offset, len);
      ByteRegion inDirect = ByteRegion.forReading(direct.position(offset).limit(offset + len));
      assertEquals(expected, JpegScanCounter.skipEntropyData(inArray, start, len), "array, round " + round);
      assertEquals(expected, JpegScanCounter.skipEntropyData(inDirect, start, len), "direct, round " + round);
    }
  }

  @Test
  void aRealPayloadWalksTheSameFromAnArrayAndADirectBuffer() {
    byte[] jpeg;
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      jpeg = codec.encodeFrame(CorpusFrames.photo(CorpusFrames.PHOTOS.get(0)), EncodeOptions.cv2Yuv(80))
          .payloadCopy();
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(jpeg.length + 5);
    direct.position(5);
    direct.put(jpeg).position(5);
    JpegScanCounter.Scans a = JpegScanCounter.walk(ByteRegion.of(jpeg, 0, jpeg.length));
    JpegScanCounter.Scans b = JpegScanCounter.walk(ByteRegion.forReading(direct));
    assertEquals(a, b);
    assertEquals(1, a.scans());
    // Everything between the scan header and EOI is entropy data.
    assertEquals(jpeg.length - 2 - sosEnd(jpeg), a.entropyBytes());
  }

  /** The index just past the SOS segment of a baseline JPEG. */
  private static int sosEnd(byte[] jpeg) {
    for (int i = 2; i + 3 < jpeg.length; ) {
      int m = jpeg[i + 1] & 0xFF;
      int len = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
      if (m == 0xDA) {
        return i + 2 + len;
      }
      i += 2 + len;
    }
    throw new AssertionError("no SOS");
  }
}
