package org.framecodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.Base64Codec;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.JsonEnvelope;
import org.framecodec.wire.RawContainer;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;
import org.junit.jupiter.api.Test;

/**
 * More threads than cores, for a bounded time ({@code framecodec.stress.seconds}, default 6),
 * mixing encode and decode on both backends, corrupt payloads, codec churn and every wire
 * framing, with every result checked against references computed single-threaded first.
 *
 * <p>Codecs are per thread, as documented; the wire readers and writers ({@link WireReader},
 * {@link RawContainer}, {@link JsonEnvelope}, {@link Base64Codec}) are shared, as their javadoc
 * says they may be. Encoding is deterministic, so a payload made on any thread must equal the
 * reference byte for byte, and so must a decoded frame. (The batching package is not on this
 * branch; frames are batched here through the wire batch framings instead.)
 */
class ConcurrencyStressTest {
  private static final int THREADS = Math.max(6, 3 * Runtime.getRuntime().availableProcessors());

  private record Case(Frame frame, EncodeOptions options, CodecBackend backend, byte[] payload, Frame decoded) {}

  @Test
  void mixedEncodeDecodeAndFramingUnderContentionGiveTheSingleThreadedResults() throws Exception {
    long seconds = Long.getLong("framecodec.stress.seconds", 6);
    List<Case> cases = new ArrayList<>();
    Frame[] frames = {CorpusFrames.gradient(64, 48, 1), CorpusFrames.gradient(33, 17, 2),
        CorpusFrames.noise(PixelFormat.BGR, 40, 30, 3)};
    EncodeOptions[] options = {EncodeOptions.cv2Yuv(80), EncodeOptions.ycbcr(50, Subsampling.S444),
        EncodeOptions.ycbcr(90, Subsampling.S420)};
    for (CodecBackend backend : CodecBackend.values()) {
      try (JpegCodec c = JpegCodec.open(backend)) {
        for (Frame f : frames) {
          for (EncodeOptions o : options) {
            byte[] payload = c.encode(f, o);
            cases.add(new Case(f, o, backend, payload, c.decode(payload, o.mode())));
          }
        }
      }
    }
    byte[] corrupt = cases.get(0).payload().clone();
    corrupt = java.util.Arrays.copyOf(corrupt, corrupt.length / 2);

    WireReader reader = new WireReader();
    RawContainer raw = new RawContainer();
    JsonEnvelope json = new JsonEnvelope();
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = t;
      byte[] bad = corrupt;
      results.add(pool.submit(() -> {
        Random r = new Random(seed);
        JpegCodec turbo = JpegCodec.open(CodecBackend.TURBOJPEG);
        JpegCodec openCv = JpegCodec.open(CodecBackend.OPENCV);
        try {
          while (System.nanoTime() < end) {
            Case c = cases.get(r.nextInt(cases.size()));
            JpegCodec codec = c.backend() == CodecBackend.TURBOJPEG ? turbo : openCv;
            switch (r.nextInt(6)) {
              case 0 -> {
                assertArrayEquals(c.payload(), codec.encode(c.frame(), c.options()), () -> "encode " + c);
                count(counts, "encode");
              }
              case 1 -> {
                Frame out = Frame.allocate(PixelFormat.BGR, c.frame().width(), c.frame().height());
                codec.decodeInto(c.payload(), 0, c.payload().length, c.options().mode(), out);
                assertTrue(c.decoded().samePixels(out), () -> "decode " + c);
                count(counts, "decode");
              }
              case 2 -> {
                try {
                  codec.decode(bad, JpegMode.CV2_YUV);
                  throw new AssertionError("a truncated payload decoded");
                } catch (CorruptPayloadException expected) {
                  count(counts, "corrupt");
                }
              }
              case 3 -> {
                List<EncodedFrame> batch = batch(cases, r);
                byte[] body = r.nextBoolean() ? raw.toBytes(batch) : json.batchToBytes(batch);
                WireMessage m = r.nextBoolean() ? reader.read(body) : reader.read(new ByteArrayInputStream(body));
                assertEquals(batch, m.frames());
                for (EncodedFrame f : m.frames()) {
                  Frame decoded = turbo.decode(f.payloadArray(), f.payloadOffset(), f.payloadLength(),
                      f.mode(), PixelFormat.BGR);
                  assertEquals(f.width(), decoded.width());
                }
                count(counts, "batch");
              }
              case 4 -> {
                String b64 = Base64Codec.encodeToString(c.payload());
                assertArrayEquals(c.payload(), reader.readText(b64).single().payloadCopy());
                count(counts, "base64");
              }
              default -> {
                // Churn: a thread replaces its codec, as a service that recycles workers would.
                if (c.backend() == CodecBackend.TURBOJPEG) {
                  turbo.close();
                  turbo = JpegCodec.open(CodecBackend.TURBOJPEG);
                } else {
                  openCv.close();
                  openCv = JpegCodec.open(CodecBackend.OPENCV);
                }
                count(counts, "reopen");
              }
            }
          }
        } finally {
          turbo.close();
          openCv.close();
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : results) {
      f.get(seconds + 60, TimeUnit.SECONDS); // rethrows the first failure of each thread
    }
    System.out.println("ConcurrencyStressTest: " + THREADS + " threads on "
        + Runtime.getRuntime().availableProcessors() + " cores for " + seconds + " s: " + counts);
    for (String op : List.of("encode", "decode", "corrupt", "batch", "base64", "reopen")) {
      assertTrue(counts.containsKey(op) && counts.get(op).sum() > 0, op + " never ran");
    }
  }

  private static List<EncodedFrame> batch(List<Case> cases, Random r) {
    List<EncodedFrame> out = new ArrayList<>();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      Case c = cases.get(r.nextInt(cases.size()));
      out.add(EncodedFrame.builder().payload(c.payload()).size(c.frame().width(), c.frame().height())
          .channels(3).mode(c.options().mode()).quality(c.options().quality())
          .timestampMicros(r.nextLong()).streamId("cam-" + r.nextInt(4)).build());
    }
    return out;
  }

  private static void count(Map<String, LongAdder> counts, String op) {
    counts.computeIfAbsent(op, k -> new LongAdder()).increment();
  }
}
