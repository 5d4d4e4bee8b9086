package org.framecodec.oip;

import org.framecodec.UnsupportedPayloadException;

/**
 * The tensor element types of the Open Inference Protocol, by their wire names ({@code "FP32"},
 * {@code "BYTES"}, ...), with each one's size in bytes in the binary layout: little-endian,
 * row-major, no padding. {@link #BYTES} has no fixed size: each element is a 4-byte
 * little-endian length followed by that many bytes.
 */
public enum Datatype {
  /** One byte: 1 true, 0 false. */
  BOOL(1),
  /** Unsigned 8-bit integer; pixels. */
  UINT8(1),
  /** Unsigned 16-bit integer. */
  UINT16(2),
  /** Unsigned 32-bit integer. */
  UINT32(4),
  /** Unsigned 64-bit integer. */
  UINT64(8),
  /** Signed 8-bit integer. */
  INT8(1),
  /** Signed 16-bit integer. */
  INT16(2),
  /** Signed 32-bit integer. */
  INT32(4),
  /** Signed 64-bit integer. */
  INT64(8),
  /** IEEE 754 half precision; binary data only (JSON has no form for it). */
  FP16(2),
  /** IEEE 754 single precision. */
  FP32(4),
  /** IEEE 754 double precision. */
  FP64(8),
  /** Byte strings of any length: a JPEG, a JSON document, UTF-8 text. */
  BYTES(0);

  private final int size;

  Datatype(int size) {
    this.size = size;
  }

  /** {@return bytes per element in the binary layout; 0 for {@link #BYTES}, whose elements vary} */
  public int size() {
    return size;
  }

  /** {@return whether elements have a fixed size (every type but {@link #BYTES})} */
  public boolean fixedSize() {
    return size > 0;
  }

  /** {@return the name on the wire, e.g. {@code FP32}} */
  public String wireName() {
    return name();
  }

  /**
   * The type named {@code name}. Wire names are case-sensitive, as the protocol says.
   *
   * @param name the wire name
   * @return the type
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
