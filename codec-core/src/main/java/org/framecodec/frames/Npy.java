package org.framecodec.frames;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.UnsupportedPayloadException;

/**
 * Reads and writes numpy {@code .npy} files of {@code uint8} images, and wraps the bytes of
 * {@code ndarray.tobytes()}, so frames can be exchanged with Python tools and test fixtures.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, dtype {@code |u1} (also {@code <u1},
 * {@code >u1} and {@code u1}, which mean the same for one byte) and C order only. Shapes map to
 * frames as follows: {@code (H, W)} and {@code (H, W, 1)} become {@link PixelFormat#GRAY};
 * {@code (H, W, 3)} becomes {@link PixelFormat#BGR}, OpenCV's order, unless the caller names
 * {@link PixelFormat#RGB}. The shape is checked against {@link Limits#maxPixels()} before the
 * pixel memory is allocated. Bad input raises a {@link FrameFormatException}: damaged files
 * (bad magic, a header length or data that is cut short, an unparseable header) a
 * {@link CorruptPayloadException}; well-formed files this class does not handle (another version,
 * dtype, rank or Fortran order) an {@link UnsupportedPayloadException}; shapes over the limits a
 * {@link PayloadTooLargeException}. As numpy does, bytes after the data are ignored.
 *
 * <p>Writing produces the same bytes as {@code numpy.save} (numpy 1.24) for an interleaved frame:
 * version 1.0, the header dict in numpy's key order with its spare room for a growing first
 * axis, padded with spaces to a multiple of 64 bytes and ended by a newline. Strided frames are
 * written tightly packed.
 *
 * <p>Buffer ownership: {@link #read(byte[])} and {@link #fromBytes(byte[], int[])} return frames
 * that <em>view</em> the caller's array without copying; the stream and path readers return
 * frames over a new array. Stateless and thread-safe.
 */
public final class Npy {
  /** First six bytes of every {@code .npy} file. */
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** numpy refuses headers longer than this unless the file is fully trusted; so do we. */
  static final int MAX_HEADER_BYTES = 10_000;
  private static final int ALIGN = 64;
  /** numpy leaves room for the first axis to grow to this many digits. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  /** Python's None in a parsed header. */
  private static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  private Npy() {}

  // ---------------------------------------------------------------- reading

  /**
   * Reads a whole-array {@code .npy} file; colour images become BGR, default limits.
   *
   * @param npy the {@code .npy} bytes
   * @return the frame
   */
  public static Frame read(byte[] npy) {
    Objects.requireNonNull(npy, "npy");
    return read(npy, 0, npy.length, PixelFormat.BGR, Limits.defaults());
  }

  /**
   * Reads the {@code .npy} file in {@code npy[offset, offset+length)}. The frame views the array
   * (no copy). {@code colour} is the format given to {@code (H, W, 3)} arrays: BGR or RGB.
   *
   * @param npy the {@code .npy} bytes
   * @param offset index of the first byte
   * @param length number of bytes
   * @param colour the format given to three-channel arrays: BGR or RGB
   * @param limits the size limits to enforce
   * @return the frame
   */
  public static Frame read(byte[] npy, int offset, int length, PixelFormat colour, Limits limits) {
    Objects.requireNonNull(npy, "npy");
    Objects.checkFromIndexSize(offset, length, npy.length);
    checkColour(colour);
    Objects.requireNonNull(limits, "limits");
    Header h = readHeader(new ArraySource(npy, offset, length), limits);
    long available = length - h.headerEnd;
    if (available < h.dataBytes) {
      throw shortData(h, available);
    }
    return wrap(npy, offset + h.headerEnd, h, colour);
  }

  /**
   * Reads a {@code .npy} file; colour images become BGR, default limits.
   *
   * @param path the file
   * @return the frame
   */
  public static Frame read(Path path) {
    return read(path, PixelFormat.BGR, Limits.defaults());
  }

  /**
   * Reads a {@code .npy} file into a new array; the file's size is checked before allocating.
   *
   * @param path the file
   * @param colour the format given to three-channel arrays: BGR or RGB
   * @param limits the size limits to enforce
   * @return the frame
   */
  public static Frame read(Path path, PixelFormat colour, Limits limits) {
    Objects.requireNonNull(path, "path");
    checkColour(colour);
    Objects.requireNonNull(limits, "limits");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      return readStream(in, Files.size(path), colour, limits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * Reads one {@code .npy} array from a stream; colour images become BGR, default limits.
   *
   * @param in the stream to read; not closed
   * @return the frame
   */
  public static Frame read(InputStream in) {
    return read(in, PixelFormat.BGR, Limits.defaults());
  }

  /**
   * Reads one {@code .npy} array from a stream into a new array, leaving the stream just after
   * the data. The stream is not closed.
   *
   * @param in the stream to read; not closed
   * @param colour the format given to three-channel arrays: BGR or RGB
   * @param limits the size limits to enforce
   * @return the frame
   */
  public static Frame read(InputStream in, PixelFormat colour, Limits limits) {
    Objects.requireNonNull(in, "in");
    checkColour(colour);
    Objects.requireNonNull(limits, "limits");
    try {
      return readStream(in, -1, colour, limits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the .npy stream", e);
    }
  }

  /**
   * Wraps the bytes of {@code ndarray.tobytes()} (C order uint8) as a frame of the given numpy
   * shape; {@code (H, W, 3)} becomes BGR. The frame views {@code tobytes} without copying.
   *
   * @param tobytes the array's bytes, C order, one byte per value
   * @param shape the numpy shape, {@code (H, W)} or {@code (H, W, C)}
   * @return the frame view
   */
  public static Frame fromBytes(byte[] tobytes, int[] shape) {
    return fromBytes(tobytes, shape, PixelFormat.BGR, Limits.defaults());
  }

  /**
   * Wraps the bytes of {@code ndarray.tobytes()} as a frame of the given shape, whose length must
   * match the shape exactly (a mismatch usually means the wrong shape travelled with the bytes).
   *
   * @param tobytes the array's bytes, C order, one byte per value
   * @param shape the numpy shape, {@code (H, W)} or {@code (H, W, C)}
   * @param colour the format given to three-channel arrays: BGR or RGB
   * @param limits the size limits to enforce
   * @return the frame view
   */
  public static Frame fromBytes(byte[] tobytes, int[] shape, PixelFormat colour, Limits limits) {
    Objects.requireNonNull(tobytes, "tobytes");
    Objects.requireNonNull(shape, "shape");
    checkColour(colour);
    Objects.requireNonNull(limits, "limits");
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    Header h = checkShape(dims, limits, 0);
    if (tobytes.length != h.dataBytes) {
      throw new CorruptPayloadException("shape " + shapeText(dims) + " needs " + h.dataBytes
          + " bytes, but " + tobytes.length + " were given");
    }
    return wrap(tobytes, 0, h, colour);
  }

  private static Frame readStream(InputStream in, long knownLength, PixelFormat colour,
      Limits limits) throws IOException {
    Header h = readHeader(new StreamSource(in), limits);
    // A file's size tells us up front whether the data is there; a stream cannot.
    if (knownLength >= 0 && knownLength - h.headerEnd < h.dataBytes) {
      throw shortData(h, knownLength - h.headerEnd);
    }
    byte[] data;
    if (knownLength >= 0) {
      data = new byte[(int) h.dataBytes]; // the file was seen to hold it
      int got = in.readNBytes(data, 0, data.length);
      if (got < data.length) {
        throw shortData(h, got);
      }
    } else {
      // readNBytes(n) allocates as the bytes arrive, so a stream whose header declares more
      // data than it sends costs what it sent, not what it declared.
      data = in.readNBytes((int) h.dataBytes);
      if (data.length < h.dataBytes) {
        throw shortData(h, data.length);
      }
    }
    return wrap(data, 0, h, colour);
  }

  private static Frame wrap(byte[] data, int offset, Header h, PixelFormat colour) {
    PixelFormat format = h.channels == 3 ? colour : PixelFormat.GRAY;
    return Frame.wrap(data, offset, h.width * h.channels, format, h.width, h.height);
  }

  private static CorruptPayloadException shortData(Header h, long available) {
    return new CorruptPayloadException("a .npy array of shape " + shapeText(h.shape) + " needs "
        + h.dataBytes + " bytes of data, but only " + Math.max(0, available) + " follow the header");
  }

  private static void checkColour(PixelFormat colour) {
    if (colour != PixelFormat.BGR && colour != PixelFormat.RGB) {
      throw new IllegalArgumentException("colour arrays can be read as BGR or RGB, not " + colour);
    }
  }

  /** What a valid header declares, and where the data starts relative to the file's start. */
  private record Header(long[] shape, int height, int width, int channels, long dataBytes,
      int headerEnd) {}

  private static Header readHeader(Source in, Limits limits) {
    byte[] prefix = in.read(8, "magic and version");
    for (int i = 0; i < MAGIC.length; i++) {
      if (prefix[i] != MAGIC[i]) {
        throw new CorruptPayloadException("not a .npy file: the first bytes are "
            + hex(prefix, 6) + ", expected 93 4e 55 4d 50 59 (\\x93NUMPY)");
      }
    }
    int major = prefix[6] & 0xFF;
    int minor = prefix[7] & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw new UnsupportedPayloadException(
          ".npy format version " + major + "." + minor + " is not supported; expected 1.0, 2.0 or 3.0");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] len = in.read(lengthBytes, "header length");
    long headerLength = (len[0] & 0xFFL) | (len[1] & 0xFFL) << 8;
    if (lengthBytes == 4) {
      headerLength |= (len[2] & 0xFFL) << 16 | (len[3] & 0xFFL) << 24;
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new PayloadTooLargeException(".npy header declares " + headerLength
          + " bytes; more than " + MAX_HEADER_BYTES + " is refused, as numpy does");
    }
    byte[] headerBytes = in.read((int) headerLength, "header of " + headerLength + " bytes");
    // Versions 1 and 2 store the header as latin-1, version 3 as UTF-8.
    String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(text, major < 3).parseDict();
    if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
      throw new CorruptPayloadException(".npy header must have exactly the keys descr, fortran_order "
          + "and shape, got " + dict.keySet());
    }
    Object descr = dict.get("descr");
    if (!(descr instanceof String d) || !(d.equals("|u1") || d.equals("<u1") || d.equals(">u1")
        || d.equals("u1"))) {
      throw new UnsupportedPayloadException(".npy dtype " + pyRepr(descr)
          + " is not supported; frames are uint8 ('|u1')");
    }
    Object fortran = dict.get("fortran_order");
    if (!(fortran instanceof Boolean f)) {
      throw new CorruptPayloadException(".npy fortran_order must be True or False, got " + pyRepr(fortran));
    }
    if (f) {
      throw new UnsupportedPayloadException(
          ".npy array is in Fortran order; only C order is supported (save np.ascontiguousarray(a))");
    }
    Object shapeValue = dict.get("shape");
    if (!(shapeValue instanceof Tuple t) || !t.allInts()) {
      throw new CorruptPayloadException(".npy shape must be a tuple of ints, got " + pyRepr(shapeValue));
    }
    return checkShape(t.longs(), limits, (int) (8 + lengthBytes + headerLength));
  }

  private static Header checkShape(long[] shape, Limits limits, int headerEnd) {
    String text = shapeText(shape);
    if (shape.length < 2 || shape.length > 3 || (shape.length == 3 && shape[2] != 1 && shape[2] != 3)) {
      throw new UnsupportedPayloadException("array shape " + text
          + " is not an image; expected (H, W), (H, W, 1) or (H, W, 3)");
    }
    for (long d : shape) {
      if (d <= 0) {
        throw new CorruptPayloadException("array shape " + text + " has a dimension that is not positive");
      }
    }
    long height = shape[0];
    long width = shape[1];
    int channels = shape.length == 3 ? (int) shape[2] : 1;
    if (height > Integer.MAX_VALUE || width > Integer.MAX_VALUE) {
      throw new PayloadTooLargeException("array shape " + text + " exceeds the limit of "
          + limits.maxPixels() + " pixels");
    }
    limits.checkPixels((int) width, (int) height);
    long bytes = height * width * channels;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new PayloadTooLargeException("array shape " + text + " needs " + bytes
          + " bytes, more than a Java array holds");
    }
    return new Header(shape, (int) height, (int) width, channels, bytes, headerEnd);
  }

  private static String shapeText(long[] shape) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.append(shape.length == 1 ? ",)" : ")").toString();
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(n, b.length); i++) {
      s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
    }
    return s.toString();
  }

  private static String pyRepr(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }

  /** Where header bytes come from; a short read is a truncated file. */
  private interface Source {
    byte[] read(int n, String what);
  }

  private static final class ArraySource implements Source {
    private final byte[] data;
    private int pos;
    private final int end;

    ArraySource(byte[] data, int offset, int length) {
      this.data = data;
      this.pos = offset;
      this.end = offset + length;
    }

    @Override
    public byte[] read(int n, String what) {
      if (end - pos < n) {
        throw truncated(what, n, end - pos);
      }
      byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return out;
    }
  }

  private static final class StreamSource implements Source {
    private final InputStream in;

    StreamSource(InputStream in) {
      this.in = in;
    }

    @Override
    public byte[] read(int n, String what) {
      try {
        byte[] out = in.readNBytes(n);
        if (out.length < n) {
          throw truncated(what, n, out.length);
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static CorruptPayloadException truncated(String what, int wanted, int got) {
    return new CorruptPayloadException(".npy file is truncated in its " + what + ": needs " + wanted
        + " bytes, " + got + " remain");
  }

  /** A parsed Python tuple literal. */
  private record Tuple(List<Object> items) {
    boolean allInts() {
      return items.stream().allMatch(Long.class::isInstance);
    }

    long[] longs() {
      return items.stream().mapToLong(Long.class::cast).toArray();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < items.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(pyRepr(items.get(i)));
      }
      return b.append(items.size() == 1 ? ",)" : ")").toString();
    }
  }

  /**
   * The subset of Python literal syntax numpy writes into headers: a dict of str keys whose values
   * are strings, True/False/None, ints and tuples or lists of those. Integers too large for a long
   * saturate at {@link Long#MAX_VALUE}, which the limits then refuse.
   */
  private static final class HeaderParser {
    private final String s;
    /** Files written by Python 2 may carry "L" suffixes on ints; numpy filters them for v1/v2. */
    private final boolean allowLongSuffix;
    private int pos;

    HeaderParser(String s, boolean allowLongSuffix) {
      this.s = s;
      this.allowLongSuffix = allowLongSuffix;
    }

    Map<String, Object> parseDict() {
      skipSpace();
      expect('{');
      Map<String, Object> dict = new LinkedHashMap<>();
      skipSpace();
      while (peek() != '}') {
        Object key = value();
        if (!(key instanceof String k)) {
          throw bad("a str key");
        }
        skipSpace();
        expect(':');
        Object v = value();
        if (dict.put(k, v) != null) {
          throw new CorruptPayloadException(".npy header repeats the key '" + k + "'");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
          skipSpace();
        } else if (peek() != '}') {
          throw bad("',' or '}'");
        }
      }
      pos++;
      skipSpace();
      if (pos != s.length()) {
        throw bad("the end of the header after the dict");
      }
      return dict;
    }

    private Object value() {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0) {
          throw bad("a closing quote");
        }
        String str = s.substring(pos + 1, end);
        if (str.indexOf('\\') >= 0) {
          throw bad("a string without escapes");
        }
        pos = end + 1;
        return str;
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        pos++;
        List<Object> items = new ArrayList<>();
        skipSpace();
        while (peek() != close) {
          items.add(value());
          skipSpace();
          if (peek() == ',') {
            pos++;
            skipSpace();
          } else if (peek() != close) {
            throw bad("',' or '" + close + "'");
          }
        }
        pos++;
        return c == '(' ? new Tuple(items) : items;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return integer();
      }
      for (String word : new String[] {"True", "False", "None"}) {
        if (s.startsWith(word, pos)) {
          pos += word.length();
          return word.equals("None") ? NONE : Boolean.valueOf(word.equals("True"));
        }
      }
      throw bad("a value");
    }

    private Long integer() {
      boolean negative = s.charAt(pos) == '-';
      if (negative) {
        pos++;
      }
      int start = pos;
      long v = 0;
      while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
        int d = s.charAt(pos++) - '0';
        v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
      }
      if (pos == start) {
        throw bad("a digit");
      }
      if (allowLongSuffix && pos < s.length() && s.charAt(pos) == 'L') {
        pos++;
      }
      return negative ? -v : v;
    }

    private void skipSpace() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n'
          || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) {
        pos++;
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw bad("more header text");
      }
      return s.charAt(pos);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw bad("'" + c + "'");
      }
      pos++;
    }

    private CorruptPayloadException bad(String expected) {
      String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
      return new CorruptPayloadException("cannot parse the .npy header dict: expected " + expected
          + " at character " + pos + " of " + shown.strip());
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * {@return the {@code .npy} bytes of an interleaved frame, as {@code numpy.save} writes them}
   *
   * @param frame the frame
   */
  public static byte[] toBytes(Frame frame) {
    byte[] header = header(frame);
    long size = header.length + Frame.tightSize(frame.format(), frame.width(), frame.height());
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a .npy file of " + frame + " needs " + size
          + " bytes, more than a Java array holds; write it to a stream instead");
    }
    byte[] out = new byte[(int) size];
    System.arraycopy(header, 0, out, 0, header.length);
    if (frame.isTight()) {
      int n = (int) frame.byteSize();
      if (frame.hasArray()) {
        System.arraycopy(frame.array(), frame.offset(), out, header.length, n);
      } else {
        frame.buffer().get(frame.offset(), out, header.length, n);
      }
    } else {
      byte[] pixels = frame.toByteArray();
      System.arraycopy(pixels, 0, out, header.length, pixels.length);
    }
    return out;
  }

  /**
   * Writes an interleaved frame to a file (created or replaced).
   *
   * @param frame the frame
   * @param path the file
   */
  public static void write(Frame frame, Path path) {
    Objects.requireNonNull(path, "path");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path))) {
      write(frame, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /**
   * Writes an interleaved frame to a stream, which is not closed.
   *
   * @param frame the frame
   * @param out where to write; not closed
   */
  public static void write(Frame frame, OutputStream out) {
    Objects.requireNonNull(out, "out");
    byte[] header = header(frame);
    try {
      out.write(header);
      if (frame.hasArray() && frame.isTight()) {
        out.write(frame.array(), frame.offset(), (int) frame.byteSize());
      } else {
        out.write(frame.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the .npy stream", e);
    }
  }

  /** Magic, version 1.0, length and the padded header dict for {@code frame}. */
  static byte[] header(Frame frame) {
    Objects.requireNonNull(frame, "frame");
    if (frame.format().isPlanar()) {
      throw new IllegalArgumentException(
          "a " + frame.format() + " frame has no single numpy shape; convert it to BGR, RGB or GRAY first");
    }
    int[] shape = frame.shape();
    StringBuilder dict = new StringBuilder("{'descr': '|u1', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      dict.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    dict.append("), }");
    dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    dict.append(" ".repeat(ALIGN - unpadded % ALIGN)).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[MAGIC.length + 4 + text.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) text.length;
    out[9] = (byte) (text.length >>> 8);
    System.arraycopy(text, 0, out, 10, text.length);
    return out;
  }
}
