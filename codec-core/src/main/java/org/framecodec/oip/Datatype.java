package org.framecodec.oip;

import org.framecodec.UnsupportedPayloadException;

/**
 * The tensor element types of the Open Inference Protocol, by their wire names ({@code "FP32"},
 * {@code "BYTES"}, ...), with each one's size in bytes in the binary layout: little-endian,
 * row-major, no padding. {@link #BYTES} has no fixed size: each element is a 4-byte
 * little-endian length followed by that many bytes.
 */
public enum Datatype {
  BOOL(1),
  UINT8(1),
  UINT16(2),
  UINT32(4),
  UINT64(8),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP16(2),
  FP32(4),
  FP64(8),
  BYTES(0);

  private final int size;

  Datatype(int size) {
    this.size = size;
  }

  /** Bytes per element in the binary layout; 0 for {@link #BYTES}, whose elements vary. */
  public int size() {
    return size;
  }

  /** Whether elements have a fixed size (every type but {@link #BYTES}). */
  public boolean fixedSize() {
    return size > 0;
  }

  /** The name on the wire, e.g. {@code FP32}. */
  public String wireName() {
    return name();
  }

  /**
   * The type named {@code name}. Wire names are case-sensitive, as the protocol says.
   *
   * @throws UnsupportedPayloadException naming the value when no type has that name
   */
  public static Datatype fromWireName(String name) {
    if (name != null) {
      for (Datatype d : values()) {
        if (d.name().equals(name)) {
          return d;
        }
      }
    }
    throw new UnsupportedPayloadException("unknown tensor datatype "
        + (name == null ? "null" : "'" + Strings.excerpt(name) + "'")
        + "; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES");
  }
}
