package org.framecodec.bench.detect;

import java.nio.file.Files;
import java.nio.file.Path;
import org.framecodec.bench.support.FaceSet;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;
import org.framecodec.frames.Npy;

/**
 * Writes the GPU report's inputs (see codec-bench/gpu/make-bundle.sh): the sweep's face set as .npy and
 * cv2-yuv q80 JPEGs of the 1080p photographs, so the runtime that reads them needs no ImageIO.
 *
 * <pre>PrepareGpuData OUT_DIR FACE.png PHOTO_DIR</pre>
 */
public final class PrepareGpuData {
  private PrepareGpuData() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    // The sweep's face set: the portrait, mirrored, cropped, scaled, darkened, and two faces.
    for (var face : FaceSet.of(ImageFiles.read(Path.of(args[1])))) {
      Npy.write(face.frame(), out.resolve("face-" + face.name() + ".npy"));
    }
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG);
        var photos = Files.list(Path.of(args[2]))) {
      for (Path p : photos.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
        Frame f = ImageFiles.read(p);
        String name = p.getFileName().toString().replace(".png", "-cv2yuv-q80.jpg");
        Files.write(out.resolve(name), codec.encode(f, EncodeOptions.cv2Yuv(80)));
      }
    }
  }
}
