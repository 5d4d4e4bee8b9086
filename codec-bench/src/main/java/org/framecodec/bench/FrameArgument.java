package org.framecodec.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.framecodec.bench.support.BenchImages;
import org.framecodec.frames.Frame;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The frame a measuring command works on, as a picocli mixin: the positional {@code FRAME} or,
 * as older scripts write it, {@code --frame FRAME}; without either, the 1080p photograph bundled
 * in the jar. Read by one command on one thread.
 */
final class FrameArgument {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FRAME", showDefaultValue = Help.Visibility.NEVER,
      description = "Image (.png, .jpg) or .npy array (uint8 HxWx3 BGR or HxW) to measure; default: the bundled"
          + " 1080p photograph.")
  Path positional;

  @Option(names = "--frame", paramLabel = "FRAME", description = "Same as FRAME (the older spelling).")
  Path option;

  /** The file given, or null for the bundled frame; a usage error when two different files are given. */
  Path path() {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new ParameterException(command.commandLine(), "FRAME given twice, as " + positional + " and as --frame "
          + option + "; give one");
    }
    return positional != null ? positional : option;
  }

  /** The frame: the file given, else the bundled one. */
  Frame load() throws IOException {
    return BenchImages.load(path());
  }

  /** How the output names the frame. */
  String label() {
    Path p = path();
    return p == null ? "bundled " + BenchImages.BUNDLED : p.toString();
  }
}
