package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.framecodec.CorruptPayloadException;
import org.framecodec.Limits;
import org.framecodec.bench.FrameCodecCli.UsageException;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Npy;
import org.framecodec.frames.PixelFormat;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.wire.WireMessage;
import org.framecodec.wire.WireReader;

/**
 * {@code framecodec decode [--mode M] [--backend B] IN OUT}: a payload file in any framing
 * (detected) to a .png or .npy. The mode comes from the envelope; {@code --mode} sets it for
 * bare payloads (base64 text, a JSON string, a bare JPEG), which default to {@code cv2-yuv}. A
 * batch writes OUT with {@code -0}, {@code -1}, ... before the extension.
 */
final class DecodeCommand {
  private DecodeCommand() {}

  static int run(String[] args, PrintStream out) throws IOException, UsageException {
    Args a = Args.parse(args, Set.of("mode", "backend"), Set.of());
    if (a.positional().size() != 2) {
      throw new UsageException("expected IN and OUT, got " + a.positional());
    }
    Path in = Path.of(a.positional().get(0));
    String target = a.positional().get(1);
    String lower = target.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".png") && !lower.endsWith(".npy")) {
      throw new UsageException("OUT must end in .png or .npy, got " + target);
    }
    if (!Files.isRegularFile(in)) {
      throw new IOException("no such file: " + in);
    }
    JpegMode bareMode = JpegMode.fromWireName(a.get("mode", "cv2-yuv"));
    CodecBackend backend = CodecBackend.parse(a.get("backend", "turbojpeg"));
    Limits limits = Limits.defaults();
    limits.checkDocumentBytes(Files.size(in));
    WireMessage message = new WireReader(limits, bareMode).read(Files.readAllBytes(in));
    try (JpegCodec codec = JpegCodec.open(backend, limits)) {
      int i = 0;
      for (EncodedFrame f : message.frames()) {
        PixelFormat format = f.channels() == 1 ? PixelFormat.GRAY : PixelFormat.BGR;
        Frame frame = codec.decode(f.payloadArray(), f.payloadOffset(), f.payloadLength(), f.mode(), format);
        if (frame.width() != f.width() || frame.height() != f.height()) {
          throw new org.framecodec.CorruptPayloadException("envelope says " + f.width() + "x" + f.height()
              + " but the JPEG is " + frame.width() + "x" + frame.height());
        }
        Path path = Path.of(message.frames().size() == 1 ? target : indexed(target, i));
        if (lower.endsWith(".npy")) {
          Npy.write(frame, path);
        } else {
          ImageFiles.writePng(frame, path);
        }
        out.printf("%s: %dx%d %s from %s %s (%,d-byte JPEG)%n", path, frame.width(), frame.height(), format,
            message.framing().name().toLowerCase(Locale.ROOT), f.mode().wireName(), f.payloadLength());
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
