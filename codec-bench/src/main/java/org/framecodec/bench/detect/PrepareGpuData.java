package org.framecodec.bench.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.JpegCodec;
import org.framecodec.frames.FaceSet;
import org.framecodec.frames.Frame;
import org.framecodec.frames.ImageFiles;

/**
 * Writes {@link GpuDetectorReport}'s inputs (see codec-bench/gpu/make-bundle.sh) as cv2-yuv q80
 * JPEGs, so the runtime that reads them needs no image I/O module:
 * {@code throughput/} the 1080p photographs, {@code faceset/} the sweep's nine scenes of the
 * portrait, {@code composites/} the photographs with the portrait composited at 600, 800 and 1000
 * pixels (the scenes of ScaledDecodeAccuracyTest).
 *
 * <pre>PrepareGpuData OUT_DIR FACE.png PHOTO_DIR</pre>
 */
public final class PrepareGpuData {
  private PrepareGpuData() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Frame portrait = ImageFiles.read(Path.of(args[1]));
    List<Path> photos;
    try (var files = Files.list(Path.of(args[2]))) {
      photos = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    try (JpegCodec codec = JpegCodec.open(CodecBackend.TURBOJPEG)) {
      List<FaceSet.Scene> composites = new ArrayList<>();
      int[][] placements = {{600, 200, 300}, {800, 1000, 150}, {1000, 500, 40}};
      for (Path p : photos) {
        Frame photo = ImageFiles.read(p);
        String name = p.getFileName().toString().replace(".png", "");
        write(codec, photo, out.resolve("throughput").resolve(name + "-cv2yuv-q80.jpg"));
        for (int[] at : placements) {
          composites.add(new FaceSet.Scene(name + "-face" + at[0],
              FaceSet.composite(photo, portrait, at[0], at[1], at[2])));
        }
      }
      for (FaceSet.Scene s : FaceSet.of(portrait)) {
        write(codec, s.frame(), out.resolve("faceset").resolve(s.name() + ".jpg"));
      }
      for (FaceSet.Scene s : composites) {
        write(codec, s.frame(), out.resolve("composites").resolve(s.name() + ".jpg"));
      }
    }
  }

  private static void write(JpegCodec codec, Frame f, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, codec.encode(f, EncodeOptions.cv2Yuv(80)));
  }
}
