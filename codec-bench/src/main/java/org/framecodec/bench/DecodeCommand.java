package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.framecodec.Limits;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code framecodec decode IN OUT}: a payload file in any framing (detected) to a .png or .npy.
 * The mode comes from the envelope; {@code --mode} sets it for bare payloads (base64 text, a
 * JSON string, a bare JPEG). A batch writes OUT with {@code -0}, {@code -1}, ... before the
 * extension.
 */
@Command(name = "decode", description = "Decode a payload file in any framing (detected: JSON envelope or batch,"
    + " raw container, base64, bare JPEG) to .png or .npy. A batch writes OUT-0, OUT-1, ...")
final class DecodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "Payload file.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Image to write: .png or .npy.")
  Path out;

  @Option(names = "--mode", paramLabel = "MODE", converter = OptionTypes.Mode.class, defaultValue = "cv2-yuv",
      description = "Mode of a bare payload (an envelope says its own): cv2-yuv, ycbcr or gray.")
  JpegMode bareMode;

  @Option(names = "--backend", paramLabel = "B", converter = OptionTypes.Backend.class, defaultValue = "turbojpeg",
      description = "turbojpeg or opencv.")
  CodecBackend backend;

  @Override
  public Integer call() throws IOException {
    String target = out.toString();
    boolean npy = target.toLowerCase(Locale.ROOT).endsWith(".npy");
    if (!npy && !target.toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new ParameterException(spec.commandLine(), "OUT must end in .png or .npy, got " + target);
    }
    if (!Files.isRegularFile(in)) {
      throw new IOException("no such file: " + in);
    }
    Limits limits = Limits.defaults();
    limits.checkDocumentBytes(Files.size(in));
    WireMessage message = new WireReader(limits, bareMode).read(Files.readAllBytes(in));
    PrintWriter stdout = spec.commandLine().getOut();
    try (JpegCodec codec = JpegCodec.open(backend, limits)) {
      int i = 0;
      for (EncodedFrame f : message.frames()) {
        PixelFormat format = f.channels() == 1 ? PixelFormat.GRAY : PixelFormat.BGR;
        Frame frame = codec.decode(f, format); // checks the declared shape against the JPEG
        Path path = Path.of(message.frames().size() == 1 ? target : indexed(target, i));
        if (npy) {
          Npy.write(frame, path);
        } else {
          ImageFiles.writePng(frame, path);
        }
        stdout.printf(Locale.ROOT, "%s: %dx%d %s from %s %s (%,d-byte JPEG)%n", path, frame.width(), frame.height(),
            format, message.framing().name().toLowerCase(Locale.ROOT), f.mode().wireName(), f.payloadLength());
        i++;
      }
    }
    return 0;
  }

  private static String indexed(String name, int i) {
    int dot = name.lastIndexOf('.');
    return name.substring(0, dot) + "-" + i + name.substring(dot);
  }
}
