package org.framecodec.wire;

import java.util.Objects;

/**
 * How frames are put into a message body, each with its HTTP content type.
 *
 * <p>{@link #detect} tells them apart from the first bytes, in this order: the raw container's
 * magic ({@code 89 46 43 52}) is {@link #RAW}; {@code FF D8} (JPEG start of image) is
 * {@link #JPEG}; a <code>&#123;</code>, {@code "} or {@code [} after optional JSON whitespace and a
 * UTF-8
 * byte order mark is {@link #JSON}; anything else, the empty body included, is {@link #BASE64}.
 * None of the first three can begin base64 text, so the rules do not overlap.
 */
public enum Framing {
  /**
   * A JSON envelope {@code {"shape":..., "mode":..., "data":"<base64>"}}, a batch
   * {@code {"frames":[...]}}, or a bare JSON string holding base64 (see {@link JsonEnvelope}).
   */
  JSON("application/json"),
  /** The payload's base64 text and nothing else: what the Python peer's decode function takes. */
  BASE64("text/plain; charset=us-ascii"),
  /** The binary container of {@link RawContainer}: metadata, payloads and a CRC-32C. */
  RAW("application/octet-stream"),
  /** One bare JPEG; size and channels come from its header. */
  JPEG("image/jpeg");

  private final String contentType;

  Framing(String contentType) {
    this.contentType = contentType;
  }

  /** {@return the HTTP {@code Content-Type} to send this framing with} */
  public String contentType() {
    return contentType;
  }

  /** {@return true for framings that carry several frames ({@link #JSON} and {@link #RAW})} */
  public boolean supportsBatches() {
    return this == JSON || this == RAW;
  }

  /**
   * {@return the framing of the message in {@code data[offset, offset+length)}, by the rules above}
   *
   * @param data the message bytes
   * @param offset index of the first byte
   * @param length number of bytes
   */
  public static Framing detect(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(offset, length, data.length);
    if (RawContainer.hasMagic(data, offset, length)) {
      return RAW;
    }
    if (length >= 2 && data[offset] == (byte) 0xFF && data[offset + 1] == (byte) 0xD8) {
      return JPEG;
    }
    int i = offset;
    int end = offset + length;
    if (length >= 3 && data[i] == (byte) 0xEF && data[i + 1] == (byte) 0xBB && data[i + 2] == (byte) 0xBF) {
      i += 3;
    }
    while (i < end && isJsonSpace(data[i])) {
      i++;
    }
    if (i < end && (data[i] == '{' || data[i] == '"' || data[i] == '[')) {
      return JSON;
    }
    return BASE64;
  }

  /**
   * {@return the framing of text: {@link #JSON} by the rule above, otherwise {@link #BASE64}}
   *
   * @param text the text to read
   */
  public static Framing detect(CharSequence text) {
    Objects.requireNonNull(text, "text");
    int i = 0;
    if (i < text.length() && text.charAt(i) == '\uFEFF') {
      i++;
    }
    while (i < text.length() && text.charAt(i) < 0x80 && isJsonSpace((byte) text.charAt(i))) {
      i++;
    }
    if (i < text.length() && (text.charAt(i) == '{' || text.charAt(i) == '"' || text.charAt(i) == '[')) {
      return JSON;
    }
    return BASE64;
  }

  private static boolean isJsonSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
