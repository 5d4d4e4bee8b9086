package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.wire.Framing;
import org.framecodec.wire.WireWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec encode IN OUT}: one image file or .npy array to one payload file. The framing
 * follows OUT's extension ({@link #FRAMING_BY_EXTENSION}); {@code --framing} may say it for any
 * other name, and must agree with a known extension.
 */
@Command(name = "encode", description = "Encode an image (.png, .jpg) or .npy array (uint8 HxWx3 BGR or HxW) to"
    + " one payload file. The framing follows OUT's extension: .jpg/.jpeg bare JPEG, .json envelope, .b64 base64,"
    + " .fcr/.bin raw container.")
final class EncodeCommand implements Callable<Integer> {
  /** Output extensions and the framing each one means. */
  static final Map<String, Framing> FRAMING_BY_EXTENSION = Map.of("jpg", Framing.JPEG, "jpeg", Framing.JPEG,
      "json", Framing.JSON, "b64", Framing.BASE64, "fcr", Framing.RAW, "bin", Framing.RAW);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "Input image or .npy array.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Payload file to write.")
  Path out;

  @Option(names = "--quality", required = true, paramLabel = "Q", showDefaultValue = Help.Visibility.NEVER, description = "JPEG quality, 1..100.")
  int quality;

  @Option(names = "--mode", paramLabel = "MODE", converter = OptionTypes.Mode.class, defaultValue = "cv2-yuv",
      description = "cv2-yuv (the Python recipe), ycbcr (standard JPEG) or gray.")
  JpegMode mode;

  @Option(names = "--subsampling", paramLabel = "S", converter = OptionTypes.Sampling.class, defaultValue = "420",
      description = "Chroma subsampling of ycbcr: 444, 422 or 420.")
  Subsampling subsampling;

  @Option(names = "--framing", paramLabel = "F", converter = OptionTypes.WireFraming.class,
      showDefaultValue = Help.Visibility.NEVER,
      description = "json, base64, raw or jpeg; default: from OUT's extension. Must agree with a known extension.")
  Framing framing;

  @Option(names = "--backend", paramLabel = "B", converter = OptionTypes.Backend.class, defaultValue = "turbojpeg",
      description = "turbojpeg or opencv.")
  CodecBackend backend;

  @Option(names = "--stream", paramLabel = "ID", description = "Stream id to put in the envelope.")
  String stream;

  @Option(names = "--timestamp-us", paramLabel = "T", description = "Timestamp (microseconds) to put in the envelope.")
  Long timestampMicros;

  @Override
  public Integer call() throws IOException {
    Framing chosen = framing(out, framing);
    if (quality < 1 || quality > 100) {
      throw new ParameterException(spec.commandLine(), "--quality must be within 1..100, got " + quality);
    }
    EncodeOptions options = EncodeOptions.of(mode, quality, subsampling);
    Frame frame = BenchImages.load(in);
    EncodedFrame encoded;
    try (JpegCodec codec = JpegCodec.open(backend)) {
      encoded = codec.encodeFrame(frame, options);
    }
    if (stream != null || timestampMicros != null) {
      EncodedFrame.Builder tagged = encoded.toBuilder();
      if (stream != null) {
        tagged.streamId(stream);
      }
      if (timestampMicros != null) {
        tagged.timestampMicros(timestampMicros);
      }
      encoded = tagged.build();
    }
    byte[] body = new WireWriter().write(chosen, encoded);
    Files.write(out, body);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(Locale.ROOT, "%s: %s %s, %,d bytes (%,d-byte JPEG, %s, %dx%d)%n", out,
        chosen.name().toLowerCase(Locale.ROOT), chosen.contentType(), body.length, encoded.payloadLength(),
        options, frame.width(), frame.height());
    return 0;
  }

  /** The framing OUT's name asks for, checked against an explicit one. */
  private Framing framing(Path target, Framing explicit) {
    Optional<Framing> byName = framingOf(target);
    if (explicit == null) {
      return byName.orElseThrow(() -> new ParameterException(spec.commandLine(), "cannot tell the framing from OUT "
          + target + "; name it .jpg/.jpeg, .json, .b64, .fcr or .bin, or pass --framing"));
    }
    if (byName.isPresent() && byName.get() != explicit) {
      throw new ParameterException(spec.commandLine(), "--framing " + explicit.name().toLowerCase(Locale.ROOT)
          + " contradicts OUT " + target + ", whose extension means " + byName.get().name().toLowerCase(Locale.ROOT)
          + "; drop --framing or rename OUT");
    }
    return explicit;
  }

  /** The framing a file name's extension means, if it is one of {@link #FRAMING_BY_EXTENSION}. */
  static Optional<Framing> framingOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? Optional.empty() : Optional.ofNullable(FRAMING_BY_EXTENSION.get(name.substring(dot + 1)));
  }
}
