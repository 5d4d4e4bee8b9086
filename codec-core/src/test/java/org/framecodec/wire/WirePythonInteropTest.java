package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.framecodec.CorpusFrames;
import org.framecodec.PythonPeer;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exchanges messages with the Python peer (Debian's python3 with numpy and OpenCV) in both
 * directions: what the peer's recipe sends is read here, and what is written here is read by
 * plain Python ({@code json}, {@code base64}, {@code struct}, {@code cv2.imdecode}).
 */
class WirePythonInteropTest {
  @TempDir Path dir;

  @Test
  void readsWhatThePythonPeerSends() throws IOException {
    String script = String.join("\n",
        "import sys, json, base64, numpy as np, cv2",
        "d = sys.argv[1]",
        "rng = np.random.default_rng(3)",
        "img = rng.integers(0, 256, size=(48, 64, 3), dtype=np.uint8)",
        // The source's recipe: BGR -> YUV -> imencode -> base64 -> ASCII str.
        "ok, buf = cv2.imencode('.jpg', cv2.cvtColor(img, cv2.COLOR_BGR2YUV), [cv2.IMWRITE_JPEG_QUALITY, 80])",
        "jpg = buf.tobytes()",
        "b64 = base64.b64encode(jpg).decode()",
        "open(f'{d}/peer.jpg', 'wb').write(jpg)",
        "open(f'{d}/peer.b64', 'w').write(b64)",
        "open(f'{d}/peer-wrapped.b64', 'wb').write(base64.encodebytes(jpg))",
        "open(f'{d}/peer-string.json', 'w').write(json.dumps(b64))",
        "env = {'shape': list(img.shape), 'mode': 'cv2-yuv', 'quality': 80, 'timestamp_us': 1718000000000001,",
        "       'stream': 'cam-\\u00e9', 'data': b64}",
        "open(f'{d}/peer-envelope.json', 'w').write(json.dumps(env))",
        "open(f'{d}/peer-batch.json', 'w').write(json.dumps({'frames': [env, env]}, indent=2))",
        "print('ok')");
    assertEquals("ok", PythonPeer.inline(script, dir.toString()).strip());
    byte[] jpg = Files.readAllBytes(dir.resolve("peer.jpg"));
    WireReader reader = new WireReader();

    for (String name : List.of("peer.b64", "peer-wrapped.b64", "peer-string.json", "peer.jpg")) {
      byte[] body = Files.readAllBytes(dir.resolve(name));
      EncodedFrame f = reader.read(body).single();
      assertArrayEquals(jpg, f.payloadCopy(), name);
      assertEquals(64, f.width(), name);
      assertEquals(48, f.height(), name);
      assertEquals(JpegMode.CV2_YUV, f.mode(), name);
    }
    EncodedFrame env = reader.read(Files.readAllBytes(dir.resolve("peer-envelope.json"))).single();
    assertEquals(EncodedFrame.builder().payload(jpg).size(64, 48).channels(3).mode(JpegMode.CV2_YUV)
        .quality(80).timestampMicros(1_718_000_000_000_001L).streamId("cam-\u00e9").build(), env);
    WireMessage batch = reader.read(Files.readAllBytes(dir.resolve("peer-batch.json")));
    assertEquals(List.of(env, env), batch.frames());
  }

  @Test
  void pythonReadsWhatIsWrittenHere() throws IOException {
    byte[] colour = CorpusFrames.jpeg(40, 24, true);
    byte[] gray = CorpusFrames.jpeg(16, 8, false);
    EncodedFrame a = EncodedFrame.builder().payload(colour).size(40, 24).mode(JpegMode.CV2_YUV)
        .quality(80).timestampMicros(-7).streamId("caméra").build();
    EncodedFrame b = EncodedFrame.builder().payload(gray).size(16, 8).channels(1).mode(JpegMode.GRAY).build();
    WireWriter writer = new WireWriter();
    Files.write(dir.resolve("a.jpg"), colour);
    Files.write(dir.resolve("b.jpg"), gray);
    Files.write(dir.resolve("single.json"), writer.write(Framing.JSON, a));
    Files.write(dir.resolve("batch.json"), writer.writeBatch(Framing.JSON, List.of(a, b)));
    Files.write(dir.resolve("single.b64"), writer.write(Framing.BASE64, a));
    Files.write(dir.resolve("batch.raw"), writer.writeBatch(Framing.RAW, List.of(a, b)));

    String script = String.join("\n",
        "import sys, json, base64, struct, numpy as np, cv2",
        "d = sys.argv[1]",
        "a, b = open(f'{d}/a.jpg', 'rb').read(), open(f'{d}/b.jpg', 'rb').read()",
        // The peer's decode: base64 -> bytes -> imdecode -> YUV2BGR.
        "def peer_decode(s):",
        "    img = cv2.imdecode(np.frombuffer(base64.b64decode(s), np.uint8), cv2.IMREAD_COLOR)",
        "    return cv2.cvtColor(img, cv2.COLOR_YUV2BGR)",
        "assert peer_decode(open(f'{d}/single.b64').read()).shape == (24, 40, 3)",
        "env = json.load(open(f'{d}/single.json', encoding='utf-8'))",
        "assert env['shape'] == [24, 40, 3] and env['mode'] == 'cv2-yuv' and env['quality'] == 80, env",
        "assert env['timestamp_us'] == -7 and env['stream'] == 'cam\\u00e9ra', env",
        "assert base64.b64decode(env['data']) == a",
        "assert peer_decode(env['data']).shape == tuple(env['shape'])",
        "frames = json.load(open(f'{d}/batch.json', encoding='utf-8'))['frames']",
        "assert [base64.b64decode(f['data']) for f in frames] == [a, b]",
        "assert frames[1] == {'shape': [8, 16, 1], 'mode': 'gray', 'data': base64.b64encode(b).decode()}, frames[1]",
        // The raw container, parsed from its documented layout with struct and a CRC-32C.
        "def crc32c(data):",
        "    table = []",
        "    for i in range(256):",
        "        c = i",
        "        for _ in range(8):",
        "            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1",
        "        table.append(c)",
        "    c = 0xFFFFFFFF",
        "    for x in data:",
        "        c = table[(c ^ x) & 0xFF] ^ (c >> 8)",
        "    return c ^ 0xFFFFFFFF",
        "raw = open(f'{d}/batch.raw', 'rb').read()",
        "magic, version, flags, count = struct.unpack_from('>4sBBI', raw, 0)",
        "assert (magic, version, flags, count) == (b'\\x89FCR', 1, 0, 2), (magic, version, flags, count)",
        "pos, out = 10, []",
        "for _ in range(count):",
        "    w, h, ch, mode, q, fl, ts, slen = struct.unpack_from('>IIBBBBqB', raw, pos); pos += 21",
        "    sid = raw[pos:pos + slen].decode('utf-8'); pos += slen",
        "    (plen,) = struct.unpack_from('>I', raw, pos); pos += 4",
        "    out.append((w, h, ch, mode, q, fl, ts, sid, raw[pos:pos + plen])); pos += plen",
        "assert pos == len(raw) - 4",
        "assert struct.unpack_from('>I', raw, pos)[0] == crc32c(raw[:pos]), 'CRC-32C'",
        "assert out[0] == (40, 24, 3, 1, 80, 1, -7, 'cam\\u00e9ra', a), out[0][:8]",
        "assert out[1] == (16, 8, 1, 3, 0, 0, 0, '', b), out[1][:8]",
        "print('ok')");
    assertEquals("ok", PythonPeer.inline(script, dir.toString()).strip());
  }
}
