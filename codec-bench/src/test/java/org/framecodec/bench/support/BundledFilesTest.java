package org.framecodec.bench.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.framecodec.bench.FrameCodecCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledFilesTest {
  /** The repository's copies, which the build bundles. */
  static final Path REPO = Path.of(System.getProperty("basedir", "."), "..").normalize();

  @Test
  void theModelIsExtractedIntoTheGivenFolderAsTheRepositoryHoldsIt(@TempDir Path dir) throws IOException {
    Path model = new BundledFiles(dir).file(BundledFiles.BLAZEFACE_FRONT, "--model");
    assertTrue(model.startsWith(dir), model.toString());
    assertArrayEquals(Files.readAllBytes(REPO.resolve(
        "codec-core/src/test/resources/models/blazeface/face_detection_front_128x128_dynbatch.onnx")),
        Files.readAllBytes(model));
    // A second call finds the file already there.
    assertEquals(model, new BundledFiles(dir).file(BundledFiles.BLAZEFACE_FRONT, "--model"));
  }

  @Test
  void everyBundledFileComesWithItsLicenceOrAttribution() throws IOException {
    for (String name : List.of("models/blazeface/LICENSE", "models/blazeface/NOTICE.md", "faces/NOTICE.md",
        "frames/ATTRIBUTION.md")) {
      try (InputStream in = BundledFiles.open(name)) {
        assertTrue(in != null && in.readAllBytes().length > 100, name);
      }
    }
    for (String name : BundledFiles.FRAMES_1080P) {
      try (InputStream in = BundledFiles.open(name)) {
        assertTrue(in != null, name);
      }
    }
  }

  @Test
  void thePeerScriptComesWithTheReferenceItImports(@TempDir Path dir) throws IOException {
    Path peer = new BundledFiles(dir).file(BundledFiles.PEER_SERVER, "--peer-script");
    assertTrue(Files.readString(peer).contains("from blazeface_reference import"));
    assertTrue(Files.isRegularFile(peer.resolveSibling("blazeface_reference.py")));
  }

  @Test
  void aFileMissingFromTheBuildNamesTheOptionThatSetsIt(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class, () -> new BundledFiles(dir).file("models/none.onnx", "--model"));
    assertEquals("the default for --model (models/none.onnx) is not bundled in this build; pass --model",
        e.getMessage());
    IOException given = assertThrows(IOException.class,
        () -> BundledFiles.orBundled(dir.resolve("absent.onnx"), BundledFiles.BLAZEFACE_FRONT, "--model"));
    assertTrue(given.getMessage().startsWith("--model file " + dir.resolve("absent.onnx") + " does not exist"),
        given.getMessage());
  }

  /** The tool in a JVM of its own whose working directory is a fresh folder outside the repository. */
  @Test
  void theDefaultModelIsFoundWhenTheToolRunsFromAnotherDirectory(@TempDir Path cwd) throws Exception {
    try (InputStream in = BundledFiles.open(BundledFiles.ASTRONAUT)) {
      Files.copy(in, cwd.resolve("face.png"));
    }
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, FrameCodecCli.class.getName(), "detect", "--device=cpu", "face.png"));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the tool did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("{\"file\":\"face.png\",\"width\":512,\"height\":512,"), out);
    assertTrue(out.contains("\"score\":0.92"), "BlazeFace found the astronaut's face: " + out);
  }
}
