package org.framecodec.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A range of bytes native code can address: a {@code byte[]} slice or a direct buffer slice,
 * with absolute offsets. A heap buffer becomes its array; a read-only heap buffer, whose array is
 * hidden, is copied once (reads only). Internal to the codecs.
 */
record ByteRegion(byte[] array, ByteBuffer direct, int offset, int length) {

  static ByteRegion of(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    return new ByteRegion(data, null, offset, length);
  }

  /** The bytes between position and limit, for reading. */
  static ByteRegion forReading(ByteBuffer buf) {
    Objects.requireNonNull(buf, "buffer");
    int pos = buf.position();
    int len = buf.remaining();
    if (buf.isDirect()) {
      return new ByteRegion(null, buf, pos, len);
    }
    if (buf.hasArray()) {
      return new ByteRegion(buf.array(), null, buf.arrayOffset() + pos, len);
    }
    byte[] copy = new byte[len];
    buf.get(pos, copy, 0, len);
    return new ByteRegion(copy, null, 0, len);
  }

  /** The bytes between position and limit, for writing. */
  static ByteRegion forWriting(ByteBuffer buf) {
    Objects.requireNonNull(buf, "buffer");
    if (buf.isReadOnly()) {
      throw new IllegalArgumentException("destination buffer is read-only");
    }
    int pos = buf.position();
    if (buf.isDirect()) {
      return new ByteRegion(null, buf, pos, buf.remaining());
    }
    return new ByteRegion(buf.array(), null, buf.arrayOffset() + pos, buf.remaining());
  }

  boolean isArray() {
    return array != null;
  }

  /** The array or the direct buffer, as the JNI shim takes it. */
  Object storage() {
    return array != null ? array : direct;
  }

  byte get(int i) {
    return array != null ? array[offset + i] : direct.get(offset + i);
  }
}
