package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.framecodec.bench.FrameCodecCli.UsageException;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;

/**
 * {@code framecodec encode --mode M --quality Q [--subsampling S] [--framing F] [--backend B]
 * [--stream ID] [--timestamp-us T] IN OUT}: one image file or .npy array to one payload file.
 */
final class EncodeCommand {
  private EncodeCommand() {}

  static int run(String[] args, PrintStream out) throws IOException, UsageException {
    Args a = Args.parse(args,
        Set.of("mode", "quality", "subsampling", "framing", "backend", "stream", "timestamp-us"), Set.of());
    if (a.positional().size() != 2) {
      throw new UsageException("expected IN and OUT, got " + a.positional());
    }
    if (!a.has("quality")) {
      throw new UsageException("--quality is required (1..100)");
    }
    JpegMode mode = JpegMode.fromWireName(a.get("mode", "cv2-yuv"));
    EncodeOptions options = EncodeOptions.of(mode, a.getInt("quality", 0),
        Subsampling.parse(a.get("subsampling", "420")));
    Framing framing = parseFraming(a.get("framing", "json"));
    CodecBackend backend = CodecBackend.parse(a.get("backend", "turbojpeg"));
    Frame frame = BenchFrames.load(a.positional().get(0));

    byte[] jpeg;
    try (JpegCodec codec = JpegCodec.open(backend)) {
      jpeg = codec.encode(frame, options);
    }
    EncodedFrame.Builder b = EncodedFrame.builder().payload(jpeg).size(frame.width(), frame.height())
        .channels(mode == JpegMode.GRAY ? 1 : 3).mode(mode).quality(options.quality());
    if (a.has("stream")) {
      b.streamId(a.get("stream", null));
    }
    if (a.has("timestamp-us")) {
      try {
        b.timestampMicros(Long.parseLong(a.get("timestamp-us", "0")));
      } catch (NumberFormatException e) {
        throw new UsageException("--timestamp-us must be a whole number, got '" + a.get("timestamp-us", "") + "'");
      }
    }
    byte[] body = new WireWriter().write(framing, b.build());
    Path target = Path.of(a.positional().get(1));
    Files.write(target, body);
    out.printf("%s: %s %s, %,d bytes (%,d-byte JPEG, %s, %dx%d)%n", target,
        framing.name().toLowerCase(Locale.ROOT), framing.contentType(), body.length, jpeg.length, options,
        frame.width(), frame.height());
    return 0;
  }

  static Framing parseFraming(String name) throws UsageException {
    try {
      return Framing.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("unknown framing '" + name + "'; expected json, base64, raw or jpeg");
    }
  }
}
