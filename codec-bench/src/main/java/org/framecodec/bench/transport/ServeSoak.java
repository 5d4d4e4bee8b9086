package org.framecodec.bench.transport;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.framecodec.bench.support.BundledFiles;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.PixelFormat;
import org.framecodec.transport.BearerToken;
import org.framecodec.transport.InferenceClient;
import org.framecodec.transport.InferenceHttpException;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;

/**
 * The receiver's soak: {@code framecodec serve} in a JVM of its own (heap fixed and pre-touched,
 * so its resident memory moves only with what is outside the heap), and concurrent clients on
 * loopback sending a seeded mix of valid requests and attacks for a fixed time. Each response is
 * checked against what that request must get; the server's resident memory (VmRSS from /proc) is
 * sampled every second.
 *
 * <pre>
 * java -cp codec-bench.jar org.framecodec.bench.transport.ServeSoak [--seconds 300] [--clients 8]
 *     [--hostile-percent 30] [--model M.onnx] [--frames DIR_OF_1080P_PNGS]   (defaults: the bundled ones)
 * </pre>
 *
 * Prints a table per request kind (count, status, p50/p99 ms) and the memory line; exits 1 when a
 * valid request failed, an attack got the wrong answer, or resident memory grew by more than 10%
 * after the warm-up (the first quarter of the run, at least 10 s).
 */
public final class ServeSoak {
  static final String TOKEN = "soak-token-" + Long.toHexString(System.nanoTime());

  /** What a client sends, and the status it must get. */
  enum Kind {
    JSON_1080P(true, 200), RAW_BATCH4_1080P(true, 200), JSON_512(true, 200), BARE_GRAY(true, 200),
    TRUNCATED_BOMB(false, 400), SCANS_2080(false, 413), WORK_BOMB(false, 413), SHAPE_LIE(false, 400),
    TEN_GB_LENGTH(false, 413), NO_TOKEN(false, 401), GARBAGE(false, 400), SLOW_HEADER(false, -1);

    final boolean valid;
    final int expected;

    Kind(boolean valid, int expected) {
      this.valid = valid;
      this.expected = expected;
    }
  }

  /**
   * Settings of one soak.
   *
   * @param seconds how long the clients send
   * @param clients concurrent client threads
   * @param hostilePercent share of attacks among the requests
   * @param model the detector's model; null for the bundled BlazeFace front model
   * @param frames a folder of {@code *-1080p.png}; null for the three bundled photographs
   * @param heap the server JVM's heap, fixed ({@code -Xms} = {@code -Xmx})
   */
  public record Settings(double seconds, int clients, int hostilePercent, Path model, Path frames, String heap) {}

  /** What a soak measured. */
  public record Result(Map<Kind, Stats> perKind, long validRequests, long validFrames, long validErrors,
      long hostileMismatches, double seconds, long rssWarmKb, long rssMaxAfterWarmKb, long rssEndKb,
      List<String> errorSamples) {
    public double rssGrowth() {
      return (double) (rssMaxAfterWarmKb - rssWarmKb) / rssWarmKb;
    }

    public double framesPerSecond() {
      return validFrames / seconds;
    }
  }

  /** Per-kind counts and latencies. */
  public static final class Stats {
    final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    public long count() {
      return nanos.size();
    }

    public double percentileMs(double p) {
      List<Long> copy;
      synchronized (nanos) {
        copy = new ArrayList<>(nanos);
      }
      if (copy.isEmpty()) {
        return Double.NaN;
      }
      Collections.sort(copy);
      int i = (int) Math.min(copy.size() - 1, Math.ceil(p * copy.size()) - 1);
      return copy.get(Math.max(0, i)) / 1e6;
    }
  }

  private ServeSoak() {}

  public static void main(String[] args) throws Exception {
    double seconds = 300;
    int clients = 8;
    int hostile = 30;
    Path model = null;
    Path frames = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--hostile-percent" -> hostile = Integer.parseInt(args[i + 1]);
        case "--model" -> model = Path.of(args[i + 1]);
        case "--frames" -> frames = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Result r = run(new Settings(seconds, clients, hostile, model, frames, "768m"), System.out);
    boolean ok = r.validErrors() == 0 && r.hostileMismatches() == 0 && r.rssGrowth() <= 0.10;
    System.exit(ok ? 0 : 1);
  }

  /** Runs one soak and prints its table to {@code out}. */
  public static Result run(Settings s, PrintStream out) throws Exception {
    Payloads p = Payloads.make(framePaths(s.frames()));
    Process server = startServer(s);
    try {
      URI uri = awaitListening(server);
      long pid = server.pid();
      InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
      Map<Kind, Stats> perKind = new EnumMap<>(Kind.class);
      for (Kind k : Kind.values()) {
        perKind.put(k, new Stats());
      }
      AtomicLong validErrors = new AtomicLong();
      AtomicLong mismatches = new AtomicLong();
      AtomicLong validFrames = new AtomicLong();
      List<String> samples = Collections.synchronizedList(new ArrayList<>());
      InferenceClient client = InferenceClient.builder(uri).bearerToken(BearerToken.of(TOKEN))
          .requestTimeout(Duration.ofSeconds(60)).build();
      long start = System.nanoTime();
      long end = start + (long) (s.seconds() * 1e9);
      long warmEnd = start + (long) (Math.max(10, s.seconds() / 4) * 1e9);
      List<long[]> rss = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(s.clients() + 1);
      Future<?> sampler = pool.submit(() -> {
        while (System.nanoTime() < end) {
          try {
            rss.add(new long[] {System.nanoTime(), rssKb(pid)});
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          } catch (IOException e) {
            samples.add("cannot read the server's /proc status: " + e);
            return;
          }
        }
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < s.clients(); c++) {
        Random random = new Random(1000 + c);
        workers.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            Kind k = pick(random, s.hostilePercent());
            long t0 = System.nanoTime();
            int status;
            try {
              status = send(k, p, client, address);
            } catch (Exception e) {
              status = -2;
              if (samples.size() < 20) {
                samples.add(k + ": " + e);
              }
            }
            long dt = System.nanoTime() - t0;
            Stats st = perKind.get(k);
            st.nanos.add(dt);
            st.statuses.computeIfAbsent(status, x -> new AtomicLong()).incrementAndGet();
            if (status != k.expected) {
              (k.valid ? validErrors : mismatches).incrementAndGet();
              if (samples.size() < 20) {
                samples.add(k + " got " + status + ", expected " + k.expected);
              }
            } else if (k.valid) {
              validFrames.addAndGet(k == Kind.RAW_BATCH4_1080P ? 4 : 1);
            }
          }
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      sampler.get();
      pool.shutdownNow();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long warm = 0;
      long maxAfter = 0;
      long last = 0;
      synchronized (rss) {
        for (long[] sample : rss) {
          if (sample[0] <= warmEnd) {
            warm = sample[1];
          } else {
            maxAfter = Math.max(maxAfter, sample[1]);
          }
          last = sample[1];
        }
      }
      long valid = 0;
      for (Kind k : Kind.values()) {
        if (k.valid) {
          valid += perKind.get(k).count();
        }
      }
      Result r = new Result(perKind, valid, validFrames.get(), validErrors.get(), mismatches.get(),
          elapsed, warm, maxAfter, last, List.copyOf(samples));
      print(r, s, out);
      return r;
    } finally {
      server.destroy();
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** The 1080p photographs: those in {@code dir}, or the bundled ones. */
  private static List<Path> framePaths(Path dir) throws IOException {
    List<Path> pngs = new ArrayList<>();
    if (dir == null) {
      for (String name : BundledFiles.FRAMES_1080P) {
        pngs.add(BundledFiles.shared().file(name, "--frames"));
      }
      return pngs;
    }
    try (var files = Files.list(dir)) {
      pngs.addAll(files.filter(f -> f.toString().endsWith("-1080p.png")).sorted().toList());
    }
    if (pngs.isEmpty()) {
      throw new IOException("no *-1080p.png in " + dir);
    }
    return pngs;
  }

  private static Kind pick(Random r, int hostilePercent) {
    Kind[] valid = {Kind.JSON_1080P, Kind.RAW_BATCH4_1080P, Kind.JSON_512, Kind.BARE_GRAY};
    Kind[] hostile = {Kind.TRUNCATED_BOMB, Kind.SCANS_2080, Kind.WORK_BOMB, Kind.SHAPE_LIE,
        Kind.TEN_GB_LENGTH, Kind.NO_TOKEN, Kind.GARBAGE, Kind.SLOW_HEADER};
    return r.nextInt(100) < hostilePercent ? hostile[r.nextInt(hostile.length)] : valid[r.nextInt(valid.length)];
  }

  /** Sends one request of kind {@code k}; returns the status, or -1 when the server closed first. */
  private static int send(Kind k, Payloads p, InferenceClient client, InetSocketAddress a) throws IOException {
    switch (k) {
      case JSON_1080P:
        return expectFrames(() -> client.detect(Framing.JSON, p.photo).detections().size(), 1);
      case RAW_BATCH4_1080P:
        return expectFrames(() -> client.detectBatch(Framing.RAW, p.batch4).detections().size(), 4);
      case JSON_512:
        return expectFrames(() -> client.detect(Framing.JSON, p.small).detections().size(), 1);
      case BARE_GRAY:
        return raw(a, "image/jpeg", p.gray, true);
      case TRUNCATED_BOMB:
        return raw(a, "image/jpeg", p.bomb, true);
      case SCANS_2080:
        return raw(a, "image/jpeg", p.scans2080, true);
      case WORK_BOMB:
        return raw(a, "image/jpeg", p.workBomb, true);
      case SHAPE_LIE:
        return raw(a, "application/json", p.shapeLie, true);
      case NO_TOKEN:
        return raw(a, "application/json", p.smallJson, false);
      case GARBAGE:
        return raw(a, "application/octet-stream", p.garbage, true);
      case TEN_GB_LENGTH:
        return rawHead(a, "POST /detect HTTP/1.1\r\nHost: soak\r\nAuthorization: Bearer " + TOKEN
            + "\r\nContent-Length: 10737418240\r\n\r\n");
      case SLOW_HEADER:
        try (Socket sock = connect(a)) {
          sock.getOutputStream().write('P');
          sock.getOutputStream().flush();
          Thread.sleep(300); // one byte, a pause, then the attacker gives up: the server keeps nothing
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return -1;
      default:
        throw new IllegalStateException(k.toString());
    }
  }

  private interface FrameCount {
    int get();
  }

  private static int expectFrames(FrameCount call, int frames) {
    try {
      int n = call.get();
      return n == frames ? 200 : -3;
    } catch (InferenceHttpException e) {
      return e.statusCode();
    }
  }

  private static Socket connect(InetSocketAddress a) throws IOException {
    Socket s = new Socket();
    s.connect(a, 5000);
    s.setSoTimeout(60_000);
    s.setTcpNoDelay(true);
    return s;
  }

  private static int raw(InetSocketAddress a, String type, byte[] body, boolean token) throws IOException {
    try (Socket s = connect(a)) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /detect HTTP/1.1\r\nHost: soak\r\nContent-Type: " + type + "\r\nContent-Length: "
          + body.length + "\r\n" + (token ? "Authorization: Bearer " + TOKEN + "\r\n" : "")
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(body);
        out.flush();
      } catch (IOException refusedEarly) {
        // a server that answers from the headers may close before the body is sent
      }
      return status(s.getInputStream());
    }
  }

  private static int rawHead(InetSocketAddress a, String head) throws IOException {
    try (Socket s = connect(a)) {
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return status(s.getInputStream());
    }
  }

  private static int status(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
      line.write(b);
    }
    String l = line.toString(StandardCharsets.US_ASCII);
    in.readAllBytes(); // Connection: close, so this ends
    return l.length() >= 12 ? Integer.parseInt(l.substring(9, 12)) : -1;
  }

  private static Process startServer(Settings s) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // No direct-memory cap: before issue 12 the detector kept a full-size direct frame per batch
    // slot and replaced it whenever the size changed, and the garbage waited for a GC (+16% in 25 s
    // uncapped); it now decodes at the model's scale into the tensor through a heap scratch that
    // shrinks, and the soak stays flat without one.
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms" + s.heap(), "-Xmx" + s.heap(),
        "-XX:+AlwaysPreTouch"));
    String extra = System.getenv("FRAMECODEC_SOAK_SERVER_JVM_OPTIONS"); // for experiments
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.framecodec.bench.ServeCommand",
        "--model", BundledFiles.orBundled(s.model(), BundledFiles.BLAZEFACE_FRONT, "--model").toString(),
        "--port", "0", "--token-env", "FRAMECODEC_SOAK_TOKEN"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("FRAMECODEC_SOAK_TOKEN", TOKEN);
    return pb.start();
  }

  private static URI awaitListening(Process server) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("listening on ")) {
      throw new IOException("the server did not start: " + line);
    }
    Thread drain = new Thread(() -> {
      try {
        while (r.readLine() != null) {
          // keep its stdout from filling
        }
      } catch (IOException e) {
        // it exited
      }
    }, "soak-server-stdout");
    drain.setDaemon(true);
    drain.start();
    return URI.create(line.substring("listening on ".length()).split(" ")[0]);
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  private static void print(Result r, Settings s, PrintStream out) {
    out.printf(Locale.ROOT, "serve soak: %.0f s, %d clients, %d%% hostile, server heap %s fixed and pre-touched%n",
        r.seconds(), s.clients(), s.hostilePercent(), s.heap());
    out.println("| request | valid | expected | count | statuses | p50 ms | p99 ms |");
    out.println("|---|---|---|---|---|---|---|");
    for (Map.Entry<Kind, Stats> e : r.perKind().entrySet()) {
      Stats st = e.getValue();
      Map<Integer, Long> statuses = new java.util.TreeMap<>();
      st.statuses.forEach((k, v) -> statuses.put(k, v.get()));
      out.printf(Locale.ROOT, "| %s | %s | %d | %d | %s | %.1f | %.1f |%n", e.getKey().name().toLowerCase(Locale.ROOT),
          e.getKey().valid ? "yes" : "no", e.getKey().expected, st.count(), statuses,
          st.percentileMs(0.5), st.percentileMs(0.99));
    }
    Stats all = new Stats();
    for (Map.Entry<Kind, Stats> e : r.perKind().entrySet()) {
      if (e.getKey().valid) {
        all.nanos.addAll(e.getValue().nanos);
      }
    }
    out.printf(Locale.ROOT, "valid requests: %d (%d frames, %.1f frames/s), errors %d; p50 %.1f ms, p99 %.1f ms%n",
        r.validRequests(), r.validFrames(), r.framesPerSecond(), r.validErrors(), all.percentileMs(0.5),
        all.percentileMs(0.99));
    out.printf(Locale.ROOT, "attacks answered wrongly: %d%n", r.hostileMismatches());
    out.printf(Locale.ROOT, "server VmRSS: %d kB at the end of warm-up, %d kB max after it (%+.1f%%), %d kB at the end%n",
        r.rssWarmKb(), r.rssMaxAfterWarmKb(), 100 * r.rssGrowth(), r.rssEndKb());
    for (String e : r.errorSamples()) {
      out.println("  " + e);
    }
  }

  /** The requests' bodies and frames, made once. */
  static final class Payloads {
    EncodedFrame photo;
    EncodedFrame small;
    List<EncodedFrame> batch4;
    byte[] smallJson;
    byte[] gray;
    byte[] bomb;
    byte[] scans2080;
    byte[] workBomb;
    byte[] shapeLie;
    byte[] garbage;

    static Payloads make(List<Path> pngs) throws IOException {
      Payloads p = new Payloads();
      WireWriter writer = new WireWriter();
      try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
        List<EncodedFrame> photos = new ArrayList<>();
        for (Path png : pngs) {
          photos.add(codec.encodeFrame(ImageFiles.read(png), EncodeOptions.cv2Yuv(80)));
        }
        p.photo = photos.get(0);
        p.batch4 = List.of(photos.get(0), photos.get(1 % photos.size()), photos.get(2 % photos.size()),
            photos.get(0));
        Frame first = ImageFiles.read(pngs.get(0));
        Frame crop = Frame.allocate(PixelFormat.BGR, 512, 512);
        for (int y = 0; y < 512; y++) {
          System.arraycopy(first.array(), first.offset() + y * first.rowStride(), crop.array(), y * 512 * 3, 512 * 3);
        }
        p.small = codec.encodeFrame(crop, EncodeOptions.cv2Yuv(80));
        p.smallJson = writer.write(Framing.JSON, p.small);
        p.gray = codec.encode(first, EncodeOptions.gray(80));
        Frame flat = Frame.allocate(PixelFormat.GRAY, 6320, 6320);
        Arrays.fill(flat.array(), (byte) 128);
        byte[] big = codec.encode(flat, EncodeOptions.gray(80));
        p.bomb = Arrays.copyOf(big, 629);
        p.bomb[627] = (byte) 0xFF;
        p.bomb[628] = (byte) 0xD9;
        Frame tiny = Frame.allocate(PixelFormat.GRAY, 64, 48);
        new Random(3).nextBytes(tiny.array());
        p.scans2080 = repeatScan(codec.encode(tiny, EncodeOptions.gray(80)), 2080); // about 2 MB
        p.workBomb = repeatScan(big, 6); // 6 x 40 megapixels: over the 200 million work limit
        p.shapeLie = writer.write(Framing.JSON, p.small.toBuilder().size(6000, 6000).build());
        p.garbage = new byte[4096];
        new Random(7).nextBytes(p.garbage);
        p.garbage[0] = 'x'; // not a JPEG, JSON, raw container or base64 text
      }
      return p;
    }

    /** The JPEG with its (only) scan repeated: as many SOS markers as asked, each counted. */
    static byte[] repeatScan(byte[] jpeg, int scans) {
      int sos = -1;
      for (int i = 2; i + 1 < jpeg.length; i++) {
        if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
          sos = i;
          break;
        }
      }
      int eoi = jpeg.length - 2;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(jpeg, 0, eoi);
      for (int i = 1; i < scans; i++) {
        out.write(jpeg, sos, eoi - sos);
      }
      out.write(jpeg, eoi, 2);
      return out.toByteArray();
    }
  }
}
