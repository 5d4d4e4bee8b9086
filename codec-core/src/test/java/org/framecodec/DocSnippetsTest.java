package org.framecodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/guide.md is compiled and run, so the docs
 * cannot rot. Each block is a complete example: its {@code import} lines, then statements, which
 * this test wraps in a {@code main} method (a block that declares its own top-level class is
 * compiled as it stands). It is compiled with {@code javac} against the test class path and run
 * in a new JVM whose working directory holds what the docs tell the reader to have there:
 * {@code frame.png} (a 1080p photograph of the corpus), {@code face.png} (the astronaut
 * portrait) and {@code face_detection_front_128x128_dynbatch.onnx} (the bundled BlazeFace model).
 *
 * <p>Markers, as HTML comments on the line before the fence (invisible when the Markdown is
 * rendered):
 * <ul>
 *   <li>{@code <!-- snippet: compile-only -->}: compiled, not run (it needs a GPU);
 *   <li>{@code <!-- snippet: run -->} before a {@code ```python} block: run with Debian's
 *       python3 in the same folder, in document order with the Java blocks (the Python peer's
 *       side of an exchange); unmarked Python blocks are for reading only;
 *   <li>{@code <!-- snippet: expect TEXT -->}: the run's standard output must contain TEXT.
 * </ul>
 */
class DocSnippetsTest {
  private static final List<String> DOCS = List.of("README.md", "docs/guide.md");
  private static final Pattern FENCE = Pattern.compile(
      "(?:<!--\\s*snippet:\\s*(.*?)\\s*-->\\s*\\n)?```(java|python)\\n(.*?)\\n```", Pattern.DOTALL);
  private static final int RUN_SECONDS = 120;

  @TempDir
  static Path work;

  /** A block of Java from a doc, with where it is and what its marker asks. */
  record Snippet(String doc, int line, String language, String code, boolean run, String expect) {
    String name() {
      return doc.replaceAll("\\W", "_") + "_L" + line;
    }
  }

  static Path repoRoot() {
    Path p = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    return Files.isRegularFile(p.resolve("README.md")) ? p : p.getParent();
  }

  static List<Snippet> snippets(String doc) throws IOException {
    String text = Files.readString(repoRoot().resolve(doc), StandardCharsets.UTF_8);
    List<Snippet> out = new ArrayList<>();
    Matcher m = FENCE.matcher(text);
    while (m.find()) {
      String marker = m.group(1) == null ? "" : m.group(1);
      String language = m.group(2);
      int line = 1 + (int) text.substring(0, m.start(3)).chars().filter(c -> c == '\n').count();
      if (language.equals("python") && m.group(1) == null) {
        continue; // Python shown for reading only
      }
      boolean run = !marker.equals("compile-only");
      String expect = marker.startsWith("expect ") ? marker.substring("expect ".length()) : null;
      out.add(new Snippet(doc, line, language, m.group(3), run, expect));
    }
    return out;
  }

  @Test
  void theDocsHaveSnippetsAndTheMarkersAreKnown() throws IOException {
    for (String doc : DOCS) {
      List<Snippet> s = snippets(doc);
      assertFalse(s.isEmpty(), doc + " has no ```java block");
      String text = Files.readString(repoRoot().resolve(doc));
      Matcher m = Pattern.compile("<!--\\s*snippet:\\s*(.*?)\\s*-->").matcher(text);
      while (m.find()) {
        assertTrue(m.group(1).equals("compile-only") || m.group(1).equals("run")
            || m.group(1).startsWith("expect "),
            doc + ": unknown snippet marker '" + m.group(1) + "'");
      }
      // A marker not directly before a fence would be silently ignored.
      long markers = Pattern.compile("<!--\\s*snippet:").matcher(text).results().count();
      long attached = s.stream().filter(x -> !x.run() || x.expect() != null
          || x.language().equals("python")).count();
      assertEquals(markers, attached, doc + ": a snippet marker is not on the line before a ```java fence");
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaSnippetCompilesAndRuns() throws IOException {
    Files.copy(CorpusFrames.resource("/corpus/" + CorpusFrames.PHOTOS.get(0)), work.resolve("frame.png"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(CorpusFrames.astronautPng(), work.resolve("face.png"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(CorpusFrames.frontModel(), work.resolve(CorpusFrames.FRONT_MODEL),
        StandardCopyOption.REPLACE_EXISTING);
    List<Snippet> all = new ArrayList<>();
    for (String doc : DOCS) {
      all.addAll(snippets(doc));
    }
    return all.stream().map(s -> DynamicTest.dynamicTest(s.doc() + " line " + s.line()
        + (s.run() ? "" : " (compile only)"), () -> compileAndRun(s)));
  }

  private static void compileAndRun(Snippet s) throws IOException, InterruptedException {
    if (s.language().equals("python")) {
      Path script = work.resolve(s.name() + ".py");
      Files.writeString(script, s.code() + "\n");
      check(s, List.of(PythonPeer.python(), script.toString()), s.code());
      return;
    }
    Path src = work.resolve("src-" + s.name());
    Path classes = work.resolve("classes-" + s.name());
    Files.createDirectories(src);
    Files.createDirectories(classes);
    String className = "Snippet_" + s.name();
    Path file = src.resolve(mainClass(s.code(), className) + ".java");
    String unit = wrap(s.code(), className);
    Files.writeString(file, unit);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(diagnostics, fm, null,
          List.of("-classpath", testClassPath(), "-d", classes.toString(), "--release", "17",
              "-Xlint:all,-processing,-path", "-Werror"),
          null, fm.getJavaFileObjects(file)).call();
      assertTrue(ok, s.doc() + " line " + s.line() + " does not compile:\n" + diagnostics
          + "\n--- as compiled ---\n" + numbered(unit));
    }
    if (!s.run()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    if (Runtime.version().feature() >= 24) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.add("-cp");
    cmd.add(classes + File.pathSeparator + testClassPath());
    cmd.add(mainClass(s.code(), className));
    check(s, cmd, unit);
  }

  /**
   * Runs {@code cmd} in the work folder and checks its exit status and standard output. Standard
   * error is kept apart (and shown on failure): the JVM and libraries write warnings there that
   * depend on the JDK (JDK 24+ warns when protobuf calls sun.misc.Unsafe) and may land in the
   * middle of a line the snippet prints.
   */
  private static void check(Snippet s, List<String> cmd, String unit) throws IOException, InterruptedException {
    Path log = work.resolve(s.name() + ".log");
    Path errLog = work.resolve(s.name() + ".err");
    Process p = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectOutput(log.toFile()).redirectError(errLog.toFile()).start();
    boolean done = p.waitFor(RUN_SECONDS, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String output = Files.readString(log);
    String all = output + "\n--- standard error ---\n" + Files.readString(errLog);
    assertTrue(done, s.doc() + " line " + s.line() + " ran over " + RUN_SECONDS + " s:\n" + all);
    assertEquals(0, p.exitValue(), s.doc() + " line " + s.line() + " failed:\n" + all
        + "\n--- as run ---\n" + numbered(unit));
    if (s.expect() != null) {
      assertTrue(output.contains(s.expect()), s.doc() + " line " + s.line() + " should print '"
          + s.expect() + "' but printed:\n" + all);
    }
  }

  /** Imports stay at the top; the rest becomes the body of {@code main}, unless it is a class. */
  static String wrap(String code, String className) {
    if (Pattern.compile("^(public\\s+)?(final\\s+)?(class|record)\\s", Pattern.MULTILINE).matcher(code).find()) {
      return code;
    }
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : code.split("\n", -1)) {
      if (line.startsWith("import ")) {
        imports.append(line).append('\n');
      } else {
        body.append("    ").append(line).append('\n');
      }
    }
    return imports + "\npublic class " + className + " {\n"
        + "  public static void main(String[] args) throws Exception {\n" + body + "  }\n}\n";
  }

  /** The class to run: the snippet's own class holding {@code main}, or the wrapper. */
  static String mainClass(String code, String className) {
    Matcher m = Pattern.compile("^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)", Pattern.MULTILINE).matcher(code);
    return m.find() ? m.group(1) : className;
  }

  /** Surefire's class path of the test JVM: main and test classes and every dependency. */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static String numbered(String unit) {
    StringBuilder b = new StringBuilder();
    String[] lines = unit.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      b.append(String.format("%3d  %s%n", i + 1, lines[i]));
    }
    return b.toString();
  }
}
