package org.framecodec.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Properties;
import org.framecodec.FrameCodecException;
import org.framecodec.bench.batch.BatcherLatencyProgram;
import org.framecodec.bench.support.Progress;
import org.framecodec.bench.transport.OipTransportBenchmark;
import org.framecodec.bench.transport.TransportBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code framecodec} command-line tool: {@code java -jar codec-bench.jar COMMAND ...}.
 *
 * <p>One picocli command tree: this class is the root, each subcommand is its own small class
 * implementing {@code Callable<Integer>}. Every command has {@code --help} (its options with
 * their defaults), the root has {@code --version}, options take {@code --opt value} or {@code
 * --opt=value}, and input files are positional. Exit status: 0 on success, 1 when the input is
 * bad or unreadable ({@link FrameCodecException}, {@link IOException}, a rejected argument value
 * found while running), 2 on a usage error (picocli's parse errors and the commands' own option
 * checks, which throw {@link ParameterException}). An error is one line on stderr that names the
 * command, e.g. {@code framecodec encode: ...}.
 *
 * <p>To add a subcommand: write a class annotated {@code @Command(name = ...)} that implements
 * {@code Callable<Integer>}, takes its output streams from its {@code @Spec} ({@code
 * spec.commandLine().getOut()} and {@code getErr()}), and list it in {@code subcommands} below.
 * Shared timing, statistics, image loading, bundled defaults and progress lines are in {@code
 * org.framecodec.bench.support}; commands do not call each other.
 */
@Command(name = "framecodec", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    showDefaultValues = true, versionProvider = FrameCodecCli.Version.class, sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Turns uint8 video frames into compact JPEG payloads and back, and measures it.",
    subcommands = {TableCommand.class, ReportCommand.class, EncodeCommand.class, DecodeCommand.class,
        SweepCommand.class, TargetsCommand.class, DetectCommand.class, TransportBenchmark.class,
        OipTransportBenchmark.class,
        BatcherLatencyProgram.class, ServeCommand.class, KafkaCommand.class, StreamCommand.class,
        StreamBenchCommand.class, JmhCommand.class})
public final class FrameCodecCli implements Runnable {
  /** Exit status of a bad input or an unreadable file. */
  public static final int BAD_INPUT = 1;
  /** Exit status of a usage error. */
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  private boolean terminal;

  FrameCodecCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line; returns 0 on success, 1 on bad input, 2 on bad usage. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter outWriter = writer(out);
    PrintWriter errWriter = writer(err);
    FrameCodecCli root = new FrameCodecCli();
    // Live progress lines only where a person watches the real stderr.
    root.terminal = err == System.err && onTerminal();
    CommandLine cl = new CommandLine(root).setOut(outWriter).setErr(errWriter)
        .setParameterExceptionHandler(FrameCodecCli::usageError)
        .setExecutionExceptionHandler((e, command, parsed) -> failure(e, command));
    try {
      return cl.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /**
   * Progress lines for a command, on its stderr: one live line when the tool runs on a terminal,
   * one line per step otherwise.
   */
  public static Progress progress(CommandSpec command) {
    boolean terminal = command.root().userObject() instanceof FrameCodecCli cli && cli.terminal;
    return Progress.of(command.commandLine().getErr(), command.qualifiedName(), terminal);
  }

  /** No subcommand: a usage error that lists the commands. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command; one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  /**
   * Whether the process runs on a terminal. Up to JDK 21 {@code System.console()} is null when
   * the streams are redirected; from JDK 22 it may return a console anyway, and {@code
   * Console.isTerminal()} (called reflectively, as this builds for 17) tells.
   */
  private static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17 to 21: a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  private static PrintWriter writer(PrintStream stream) {
    // The process's streams keep the platform's encoding; a caller's stream (a test's buffer) gets UTF-8.
    Charset charset = stream == System.out || stream == System.err ? Charset.defaultCharset() : UTF_8;
    return new PrintWriter(new OutputStreamWriter(stream, charset), true);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println(name(command) + ": " + oneLine(e.getMessage()) + " (see "
        + name(command) + " --help)");
    return USAGE;
  }

  private static int failure(Exception e, CommandLine command) {
    boolean expected = e instanceof FrameCodecException || e instanceof IOException
        || e instanceof UncheckedIOException || e instanceof IllegalArgumentException;
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    command.getErr().println(name(command) + ": " + (expected ? message
        : "unexpected " + e.getClass().getSimpleName() + ": " + message));
    return BAD_INPUT;
  }

  private static String name(CommandLine command) {
    return command.getCommandSpec().qualifiedName();
  }

  static String oneLine(String s) {
    return String.valueOf(s).replaceAll("\\s+", " ").trim();
  }

  /** The project version, written into the jar at build time. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = FrameCodecCli.class.getResourceAsStream("/framecodec/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"framecodec " + p.getProperty("version", "(unknown version)") + ", Java "
          + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch")};
    }
  }
}
