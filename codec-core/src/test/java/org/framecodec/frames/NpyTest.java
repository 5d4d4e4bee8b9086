package org.framecodec.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.framecodec.CorruptPayloadException;
import org.framecodec.FrameFormatException;
import org.framecodec.Limits;
import org.framecodec.PayloadTooLargeException;
import org.framecodec.PythonPeer;
import org.framecodec.UnsupportedPayloadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  // ------------------------------------------------------------ numpy interop

  @Test
  void readsFilesNumpyWroteInEveryVersionWithTheSamePixels() throws IOException {
    // Each case: name, shape, version. Python writes the .npy and the raw tobytes() beside it.
    String script = String.join("\n",
        "import sys, numpy as np, numpy.lib.format as fmt",
        "d = sys.argv[1]",
        "rng = np.random.default_rng(7)",
        "cases = [('gray', (5, 7), (1, 0)), ('bgr', (5, 7, 3), (1, 0)), ('one', (6, 4, 1), (1, 0)),",
        "         ('v2', (4, 6, 3), (2, 0)), ('v3', (3, 9), (3, 0)), ('vga', (480, 640, 3), None)]",
        "for name, shape, version in cases:",
        "    a = rng.integers(0, 256, size=shape, dtype=np.uint8)",
        "    with open(f'{d}/{name}.npy', 'wb') as f:",
        "        if version is None:",
        "            np.save(f, a)",
        "        else:",
        "            fmt.write_array(f, a, version=version)",
        "    open(f'{d}/{name}.raw', 'wb').write(a.tobytes())",
        "print('ok')");
    assertEquals("ok", PythonPeer.inline(script, dir.toString()).strip());

    assertNumpyFile("gray", PixelFormat.GRAY, 7, 5);
    assertNumpyFile("bgr", PixelFormat.BGR, 7, 5);
    assertNumpyFile("one", PixelFormat.GRAY, 4, 6);
    assertNumpyFile("v2", PixelFormat.BGR, 6, 4);
    assertNumpyFile("v3", PixelFormat.GRAY, 9, 3);
    assertNumpyFile("vga", PixelFormat.BGR, 640, 480);
    byte[] v2 = Files.readAllBytes(dir.resolve("v2.npy"));
    assertEquals(2, v2[6], "numpy wrote a version 2.0 file");
  }

  private void assertNumpyFile(String name, PixelFormat format, int width, int height)
      throws IOException {
    byte[] raw = Files.readAllBytes(dir.resolve(name + ".raw"));
    Path npy = dir.resolve(name + ".npy");
    byte[] bytes = Files.readAllBytes(npy);
    for (Frame f : new Frame[] {
        Npy.read(npy), Npy.read(bytes), Npy.read(new ByteArrayInputStream(bytes))}) {
      assertEquals(format, f.format(), name);
      assertEquals(width, f.width(), name);
      assertEquals(height, f.height(), name);
      assertArrayEquals(raw, f.toByteArray(), name);
    }
  }

  @Test
  void filesJavaWritesLoadInNumpyAndMatchNumpySaveByteForByte() throws IOException {
    Random rnd = new Random(3);
    Frame bgr = randomFrame(rnd, PixelFormat.BGR, 11, 5);
    Frame gray = randomFrame(rnd, PixelFormat.GRAY, 13, 2);
    // A strided view and a direct buffer must be written tightly packed.
    Frame big = randomFrame(rnd, PixelFormat.RGB, 40, 30);
    Frame crop = big.crop(3, 4, 17, 9);
    Frame direct = Frame.allocateDirect(PixelFormat.BGR, 3, 1234);
    byte[] directPixels = new byte[3 * 3 * 1234];
    rnd.nextBytes(directPixels);
    direct.buffer().put(0, directPixels);

    Frame[] frames = {bgr, gray, crop, direct};
    for (int i = 0; i < frames.length; i++) {
      Npy.write(frames[i], dir.resolve(i + ".npy"));
      Files.write(dir.resolve(i + ".raw"), frames[i].toByteArray());
      Files.writeString(dir.resolve(i + ".shape"), Arrays.toString(frames[i].shape()));
      assertArrayEquals(Files.readAllBytes(dir.resolve(i + ".npy")), Npy.toBytes(frames[i]));
    }
    String script = String.join("\n",
        "import sys, io, json, numpy as np",
        "d, n = sys.argv[1], int(sys.argv[2])",
        "for i in range(n):",
        "    a = np.load(f'{d}/{i}.npy')",
        "    shape = tuple(json.loads(open(f'{d}/{i}.shape').read()))",
        "    assert a.dtype == np.uint8 and a.shape == shape, (i, a.dtype, a.shape, shape)",
        "    assert a.tobytes() == open(f'{d}/{i}.raw', 'rb').read(), i",
        "    buf = io.BytesIO(); np.save(buf, a)",
        "    assert buf.getvalue() == open(f'{d}/{i}.npy', 'rb').read(), (i, 'not what np.save writes')",
        "print('ok')");
    assertEquals("ok", PythonPeer.inline(script, dir.toString(), Integer.toString(frames.length)).strip());
  }

  @Test
  void headerIsPaddedToAMultipleOf64AndEndsWithNewline() {
    for (int h : new int[] {1, 9, 10, 99999, 1_000_000}) {
      byte[] header = Npy.header(Frame.wrap(new byte[h * 3], PixelFormat.BGR, 1, h));
      assertEquals(0, header.length % 64, "height " + h);
      assertEquals('\n', header[header.length - 1]);
      int declared = (header[8] & 0xFF) | (header[9] & 0xFF) << 8;
      assertEquals(header.length - 10, declared);
    }
  }

  // ------------------------------------------------------------ mapping options

  @Test
  void colourArraysCanBeReadAsRgb() {
    byte[] pixels = {1, 2, 3, 4, 5, 6};
    byte[] npy = Npy.toBytes(Frame.wrap(pixels, PixelFormat.BGR, 2, 1));
    Frame rgb = Npy.read(npy, 0, npy.length, PixelFormat.RGB, Limits.defaults());
    assertEquals(PixelFormat.RGB, rgb.format());
    assertArrayEquals(pixels, rgb.toByteArray());
    assertThrows(IllegalArgumentException.class,
        () -> Npy.read(npy, 0, npy.length, PixelFormat.GRAY, Limits.defaults()));
  }

  @Test
  void readFromArrayViewsTheCallersBytesAtTheDataOffset() {
    byte[] npy = Npy.toBytes(Frame.wrap(new byte[] {9, 8, 7, 6}, PixelFormat.GRAY, 2, 2));
    byte[] padded = new byte[npy.length + 5];
    System.arraycopy(npy, 0, padded, 3, npy.length);
    Frame f = Npy.read(padded, 3, npy.length, PixelFormat.BGR, Limits.defaults());
    assertTrue(f.array() == padded, "no copy");
    assertEquals(3 + 128, f.offset());
    assertEquals(7, f.get(0, 1, 0));
  }

  @Test
  void fromBytesWrapsTobytesWithItsShape() {
    byte[] tobytes = new byte[2 * 3 * 3];
    tobytes[3] = 42;
    Frame bgr = Npy.fromBytes(tobytes, new int[] {2, 3, 3});
    assertEquals(PixelFormat.BGR, bgr.format());
    assertEquals(3, bgr.width());
    assertEquals(2, bgr.height());
    assertEquals(42, bgr.get(1, 0, 0));
    Frame gray = Npy.fromBytes(new byte[6], new int[] {3, 2});
    assertEquals(PixelFormat.GRAY, gray.format());
    Frame one = Npy.fromBytes(new byte[6], new int[] {3, 2, 1});
    assertEquals(PixelFormat.GRAY, one.format());
    assertEquals(2, one.width());
    Frame rgb = Npy.fromBytes(tobytes, new int[] {2, 3, 3}, PixelFormat.RGB, Limits.defaults());
    assertEquals(PixelFormat.RGB, rgb.format());
  }

  @Test
  void fromBytesRejectsALengthThatDisagreesWithTheShape() {
    var e = assertThrows(CorruptPayloadException.class,
        () -> Npy.fromBytes(new byte[17], new int[] {2, 3, 3}));
    assertEquals("shape (2, 3, 3) needs 18 bytes, but 17 were given", e.getMessage());
    assertThrows(CorruptPayloadException.class, () -> Npy.fromBytes(new byte[19], new int[] {2, 3, 3}));
    assertThrows(UnsupportedPayloadException.class, () -> Npy.fromBytes(new byte[8], new int[] {2, 2, 2}));
    assertThrows(CorruptPayloadException.class, () -> Npy.fromBytes(new byte[0], new int[] {0, 3}));
    assertThrows(PayloadTooLargeException.class,
        () -> Npy.fromBytes(new byte[4], new int[] {100_000, 100_000}));
  }

  @Test
  void planarFramesCannotBeWritten() {
    Frame i420 = Frame.allocate(PixelFormat.I420, 4, 4);
    var e = assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(i420));
    assertTrue(e.getMessage().contains("I420"), e.getMessage());
  }

  // ------------------------------------------------------------ bad files

  @Test
  void badMagicIsCorrupt() {
    byte[] npy = validNpy();
    npy[1] = 'X';
    var e = assertThrows(CorruptPayloadException.class, () -> Npy.read(npy));
    assertTrue(e.getMessage().startsWith("not a .npy file"), e.getMessage());
    assertThrows(CorruptPayloadException.class, () -> Npy.read(new byte[] {(byte) 0x93, 'N'}));
  }

  @Test
  void unknownVersionIsUnsupported() {
    for (int[] v : new int[][] {{4, 0}, {1, 1}, {0, 0}}) {
      byte[] npy = validNpy();
      npy[6] = (byte) v[0];
      npy[7] = (byte) v[1];
      var e = assertThrows(UnsupportedPayloadException.class, () -> Npy.read(npy));
      assertTrue(e.getMessage().contains("version " + v[0] + "." + v[1]), e.getMessage());
    }
  }

  @Test
  void headerLengthThatLiesIsCorrupt() {
    byte[] longer = validNpy();
    longer[8] = (byte) 0xF0; // declares 0x10F0 bytes, far more than the file has
    longer[9] = 0x10;
    var e = assertThrows(CorruptPayloadException.class, () -> Npy.read(longer));
    assertTrue(e.getMessage().contains("truncated in its header"), e.getMessage());

    byte[] shorter = validNpy();
    shorter[8] = 40; // cuts the dict in the middle
    var e2 = assertThrows(CorruptPayloadException.class, () -> Npy.read(shorter));
    assertTrue(e2.getMessage().startsWith("cannot parse the .npy header dict"), e2.getMessage());
  }

  @Test
  void headerOverNumpysSafetyLimitIsTooLarge() {
    byte[] npy = npyWithHeader(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1), }"
        + " ".repeat(20_000) + "\n", new byte[1]);
    var e = assertThrows(PayloadTooLargeException.class, () -> Npy.read(npy));
    assertTrue(e.getMessage().contains("more than 10000"), e.getMessage());
  }

  @Test
  void malformedDictsAreCorrupt() {
    String[] bad = {
        "['descr', 'fortran_order', 'shape']",
        "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3) ",
        "{'descr': '|u1', 'fortran_order': False}",
        "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}",
        "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3)} junk",
        "{'descr': '|u1', 'fortran_order': 'no', 'shape': (2, 3)}",
        "{'descr': '|u1', 'fortran_order': False, 'shape': [2, 3]}",
        "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 'x')}",
        "{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (2, 3)}",
        "{'descr: '|u1', 'fortran_order': False, 'shape': (2, 3)}",
    };
    for (String dict : bad) {
      byte[] npy = npyWithHeader(1, dict + "\n", new byte[6]);
      var e = assertThrows(CorruptPayloadException.class, () -> Npy.read(npy), dict);
      assertTrue(e.getMessage().contains(".npy"), e.getMessage());
    }
  }

  @Test
  void headerSyntaxNumpyAcceptsIsAccepted() {
    // Double quotes, no trailing comma, other key order, Python 2 long suffix in version 1.
    String dict = "{\"shape\": (2L, 3L), \"fortran_order\": False, \"descr\": \"u1\"}\n";
    Frame f = Npy.read(npyWithHeader(1, dict, new byte[6]));
    assertEquals(3, f.width());
    for (String dtype : new String[] {"|u1", "<u1", ">u1", "u1"}) {
      Frame g = Npy.read(npyWithHeader(3,
          "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (1, 2, 3), }\n", new byte[6]));
      assertEquals(PixelFormat.BGR, g.format());
    }
  }

  @Test
  void otherDtypesAreUnsupported() {
    for (String dtype : new String[] {"<u2", "|i1", "<f4", "|b1", "|O"}) {
      byte[] npy = npyWithHeader(1,
          "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (2, 3), }\n", new byte[24]);
      var e = assertThrows(UnsupportedPayloadException.class, () -> Npy.read(npy));
      assertEquals(".npy dtype '" + dtype + "' is not supported; frames are uint8 ('|u1')", e.getMessage());
    }
    byte[] structured = npyWithHeader(1,
        "{'descr': [('a', '|u1')], 'fortran_order': False, 'shape': (2, 3), }\n", new byte[6]);
    assertThrows(UnsupportedPayloadException.class, () -> Npy.read(structured));
  }

  @Test
  void fortranOrderIsUnsupported() {
    byte[] npy = npyWithHeader(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }\n",
        new byte[6]);
    var e = assertThrows(UnsupportedPayloadException.class, () -> Npy.read(npy));
    assertTrue(e.getMessage().contains("Fortran order"), e.getMessage());
  }

  @Test
  void shapesThatAreNotImagesAreUnsupported() {
    for (String shape : new String[] {"(6,)", "()", "(2, 3, 4)", "(1, 2, 3, 1)"}) {
      byte[] npy = npyWithHeader(1,
          "{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }\n", new byte[24]);
      var e = assertThrows(UnsupportedPayloadException.class, () -> Npy.read(npy), shape);
      assertTrue(e.getMessage().contains("is not an image"), e.getMessage());
    }
    byte[] zero = npyWithHeader(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (0, 3), }\n",
        new byte[0]);
    assertThrows(CorruptPayloadException.class, () -> Npy.read(zero));
    byte[] negative = npyWithHeader(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (-2, 3), }\n",
        new byte[0]);
    assertThrows(CorruptPayloadException.class, () -> Npy.read(negative));
  }

  @Test
  void dataShorterThanTheShapeIsCorrupt() throws IOException {
    byte[] npy = Arrays.copyOf(validNpy(), validNpy().length - 1);
    var e = assertThrows(CorruptPayloadException.class, () -> Npy.read(npy));
    assertEquals("a .npy array of shape (2, 3) needs 6 bytes of data, but only 5 follow the header",
        e.getMessage());
    assertThrows(CorruptPayloadException.class, () -> Npy.read(new ByteArrayInputStream(npy)));
    Path file = dir.resolve("short.npy");
    Files.write(file, npy);
    assertThrows(CorruptPayloadException.class, () -> Npy.read(file));
  }

  @Test
  void absurdShapeIsRefusedBeforeAnyDataIsReadOrAllocated() {
    byte[] header = npyWithHeader(1,
        "{'descr': '|u1', 'fortran_order': False, 'shape': (100000, 100000, 3), }\n", new byte[0]);
    // A stream that fails the test if anything past the header is requested.
    InputStream headerOnly = new InputStream() {
      int pos;

      @Override
      public int read() {
        if (pos >= header.length) {
          throw new AssertionError("data was read before the shape was checked");
        }
        return header[pos++] & 0xFF;
      }
    };
    var e = assertThrows(PayloadTooLargeException.class, () -> Npy.read(headerOnly));
    assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());

    byte[] huge = npyWithHeader(1,
        "{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999999999999999, 2), }\n", new byte[0]);
    assertThrows(PayloadTooLargeException.class, () -> Npy.read(huge));
    Limits small = Limits.builder().maxPixels(5).build();
    byte[] six = validNpy();
    assertThrows(PayloadTooLargeException.class,
        () -> Npy.read(six, 0, six.length, PixelFormat.BGR, small));
  }

  @Test
  void streamReaderLeavesTheStreamAfterTheData() throws IOException {
    byte[] a = Npy.toBytes(Frame.wrap(new byte[] {1, 2}, PixelFormat.GRAY, 2, 1));
    byte[] b = Npy.toBytes(Frame.wrap(new byte[] {3, 4, 5}, PixelFormat.BGR, 1, 1));
    ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b);
    InputStream in = new ByteArrayInputStream(both.array());
    assertArrayEquals(new byte[] {1, 2}, Npy.read(in).toByteArray());
    assertArrayEquals(new byte[] {3, 4, 5}, Npy.read(in).toByteArray());
    assertEquals(-1, in.read());
  }

  @Test
  void allBadInputExceptionsShareTheFamily() {
    // Callers catch FrameFormatException where untrusted bytes enter.
    assertThrows(FrameFormatException.class, () -> Npy.read(new byte[0]));
  }

  // ------------------------------------------------------------ helpers

  private static byte[] validNpy() {
    return Npy.toBytes(Frame.wrap(new byte[] {1, 2, 3, 4, 5, 6}, PixelFormat.GRAY, 3, 2));
  }

  private static byte[] npyWithHeader(int major, String header, byte[] data) {
    byte[] text = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int lengthBytes = major == 1 ? 2 : 4;
    ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + text.length + data.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) text.length);
    } else {
      b.putInt(text.length);
    }
    return b.put(text).put(data).array();
  }

  private static Frame randomFrame(Random rnd, PixelFormat format, int w, int h) {
    byte[] data = new byte[w * h * format.bytesPerPixel()];
    rnd.nextBytes(data);
    return Frame.wrap(data, format, w, h);
  }
}
