package org.framecodec.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.framecodec.bench.FrameCodecCli.UsageException;

/** Minimal {@code --name value} option parsing with positional arguments; rejects unknown options. */
final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  static Args parse(String[] args, Set<String> valued, Set<String> flags) throws UsageException {
    Args a = new Args();
    for (int i = 0; i < args.length; i++) {
      String s = args[i];
      if (s.startsWith("--")) {
        String name = s.substring(2);
        if (flags.contains(name)) {
          a.options.put(name, "true");
        } else if (valued.contains(name)) {
          if (i + 1 >= args.length) {
            throw new UsageException("option --" + name + " needs a value");
          }
          a.options.put(name, args[++i]);
        } else {
          throw new UsageException("unknown option --" + name);
        }
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  int getInt(String name, int fallback) throws UsageException {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
    }
  }

  List<String> positional() {
    return positional;
  }
}
