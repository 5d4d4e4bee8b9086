package org.framecodec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.framecodec.bench.FrameCodecCliTest.Result;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class CommandHelpTest {
  static final List<String> COMMANDS = List.of("table", "report", "encode", "decode", "sweep", "targets", "detect",
      "transport", "batcher-latency", "stream", "stream-bench", "jmh");

  @Test
  void everyCommandIsInTheTree() {
    CommandLine tree = new CommandLine(new FrameCodecCli());
    assertTrue(tree.getSubcommands().keySet().containsAll(COMMANDS), tree.getSubcommands().keySet().toString());
    Result help = FrameCodecCliTest.cli("--help");
    assertEquals(0, help.code(), help.err());
    for (String name : tree.getSubcommands().keySet()) {
      assertTrue(help.out().contains("  " + name + " "), name + " missing from: " + help.out());
    }
  }

  @Test
  void everyCommandsHelpListsItsOptionsWithTheirDefaultsAndExitsZero() {
    CommandLine tree = new CommandLine(new FrameCodecCli());
    for (var entry : tree.getSubcommands().entrySet()) {
      String name = entry.getKey();
      Result r = FrameCodecCliTest.cli(name, "--help");
      assertEquals(0, r.code(), name + ": " + r.err());
      assertEquals("", r.err(), name);
      assertTrue(r.out().startsWith("Usage: framecodec " + name + " "), r.out());
      CommandSpec spec = entry.getValue().getCommandSpec();
      for (OptionSpec o : spec.options()) {
        assertTrue(r.out().contains(o.longestName()), name + " --help lacks " + o.longestName() + ":\n" + r.out());
        String initial = o.defaultValue() != null ? o.defaultValue()
            : o.initialValue() == null ? null : String.valueOf(o.initialValue());
        boolean shown = o.showDefaultValue() != CommandLine.Help.Visibility.NEVER && initial != null
            && !o.usageHelp() && !o.versionHelp() && !o.typeInfo().isBoolean();
        if (shown) {
          assertTrue(optionBlock(r.out(), o.longestName()).contains("Default:"), name + " " + o.longestName()
              + " shows no default:\n" + r.out());
        }
      }
    }
  }

  /** The lines of an option's description in a help text: from its name to the next option. */
  static String optionBlock(String help, String option) {
    // The option's name followed by "=" (valued) or a space or line end (flag), so that --mode
    // is not found inside --model.
    int start = -1;
    for (String prefix : new String[] {"\n      ", ", "}) {
      for (String suffix : new String[] {"=", " ", "\n"}) {
        int at = help.indexOf(prefix + option + suffix);
        if (at >= 0 && (start < 0 || at < start)) {
          start = at;
        }
      }
    }
    assertTrue(start >= 0, option + " not listed: " + help);
    int end = help.indexOf("\n      -", start + 1);
    int shortEnd = help.indexOf("\n  -", start + 1);
    end = end < 0 ? help.length() : end;
    end = shortEnd < 0 ? end : Math.min(end, shortEnd);
    return help.substring(start, end);
  }

  @Test
  void theDefaultsShownAreTheCommandLineSpellings() {
    Result r = FrameCodecCliTest.cli("encode", "--help");
    assertTrue(r.out().contains("Default: cv2-yuv"), r.out());
    assertTrue(r.out().contains("Default: 420"), r.out());
    assertTrue(r.out().contains("Default: turbojpeg"), r.out());
  }

  @Test
  void versionPrintsTheProjectVersion() {
    Result r = FrameCodecCliTest.cli("--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s)framecodec \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?, Java .*"), r.out());
  }

  @Test
  void withoutACommandItIsAUsageErrorListingTheCommands() {
    Result r = FrameCodecCliTest.cli();
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("framecodec: missing command; one of table, report, encode"), r.err());
  }

  @Test
  void optionsTakeTheirValueAfterAnEqualsSign() {
    Result r = FrameCodecCliTest.cli("batcher-latency", "--streams=1", "--seconds=0.2", "--fps=100");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("100 fps per stream, 0.2 s per run"), r.out());
    assertTrue(r.err().contains("framecodec batcher-latency: 1/1 done"), "one progress line a step: " + r.err());
  }
}
