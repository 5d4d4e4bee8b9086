package org.framecodec.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.framecodec.bench.support.BundledFiles;
import picocli.CommandLine.Option;

/**
 * The BlazeFace model a command runs, as a picocli mixin: {@code --model M.onnx}, or without it
 * the front model bundled in the jar. Read by one command on one thread.
 */
final class ModelArgument {
  @Option(names = "--model", paramLabel = "M.onnx", description = "BlazeFace front model (ONNX); default: the"
      + " bundled face_detection_front_128x128_dynbatch.onnx.")
  Path given;

  /** The file given, else the bundled front model; an {@link IOException} names a given file that is missing. */
  Path path() throws IOException {
    return BundledFiles.orBundled(given, BundledFiles.BLAZEFACE_FRONT, "--model");
  }
}
