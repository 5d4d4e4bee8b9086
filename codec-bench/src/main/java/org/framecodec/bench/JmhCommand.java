package org.framecodec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code framecodec jmh [JMH OPTIONS]}: JMH's own command line over the benchmarks in this jar.
 * Every argument goes to JMH unread, except a first {@code --help}, which prints this command's
 * help; {@code -h} is JMH's help.
 */
@Command(name = "jmh", mixinStandardHelpOptions = false,
    description = {"Run the JMH benchmarks in this jar: every argument goes to JMH (org.openjdk.jmh.Main) as given,"
        + " e.g. 'framecodec jmh BatchEncodeScaling -p threads=1,2 -prof gc'.", "'framecodec jmh -h' lists JMH's"
        + " options; 'framecodec jmh -l' lists the benchmarks."})
final class JmhCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Unmatched
  List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    spec.commandLine().getOut().flush();
    org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
    return 0;
  }
}
