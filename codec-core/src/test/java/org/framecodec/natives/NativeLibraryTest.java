package org.framecodec.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.framecodec.NativeCodecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {

  @Test
  void foldersOfProcessesThatAreGoneAreRemovedAndLiveOnesKept(@TempDir Path tmp) throws Exception {
    long live = ProcessHandle.current().pid();
    long dead = deadPid();
    Path mine = Files.createDirectory(tmp.resolve(NativeLibrary.FOLDER_PREFIX + live + "-123"));
    Path stale = Files.createDirectory(tmp.resolve(NativeLibrary.FOLDER_PREFIX + dead + "-456"));
    Files.write(stale.resolve("libframecodec_turbojpeg.so"), new byte[] {1, 2, 3});
    Path foreign = Files.createDirectory(tmp.resolve("framecodec-natives-789"));
    Path unparsable = Files.createDirectory(tmp.resolve(NativeLibrary.FOLDER_PREFIX + "x-1"));

    assertEquals(1, NativeLibrary.removeStaleFolders(tmp));
    assertFalse(Files.exists(stale), "a dead process's folder goes, files and all");
    assertTrue(Files.exists(mine), "a live process's folder stays");
    assertTrue(Files.exists(foreign), "folders without an owner pid are not ours to judge");
    assertTrue(Files.exists(unparsable));
  }

  @Test
  void ownerPidIsReadFromTheFolderName() {
    assertEquals(4242, NativeLibrary.ownerPid("framecodec-natives-pid4242-8817"));
    assertEquals(-1, NativeLibrary.ownerPid("framecodec-natives-pid-8817"));
    assertEquals(-1, NativeLibrary.ownerPid("framecodec-natives-8817"));
    assertEquals(-1, NativeLibrary.ownerPid("framecodec-natives-pid99999999999999999999-1"));
  }

  @Test
  void aLibraryTheJarDoesNotCarryFailsWithThePlatformNamedAndKeepsFailing() {
    var e = assertThrows(NativeCodecException.class, () -> NativeLibrary.load("no_such_library"));
    assertTrue(e.getMessage().startsWith("cannot load libno_such_library.so for " + NativeLibrary.platform()),
        e.getMessage());
    assertTrue(e.getMessage().contains("does not support " + NativeLibrary.platform()), e.getMessage());
    var again = assertThrows(NativeCodecException.class, () -> NativeLibrary.load("no_such_library"));
    assertTrue(again.getMessage().startsWith("libno_such_library.so failed to load earlier"), again.getMessage());
  }

  @Test
  void theShimLoadsIntoAFolderNamedAfterThisProcess() throws IOException {
    NativeLibrary.load("framecodec_turbojpeg", "libturbojpeg.so.0");
    NativeLibrary.load("framecodec_turbojpeg", "libturbojpeg.so.0"); // idempotent
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (var dirs = Files.list(tmp)) {
      assertTrue(dirs.anyMatch(d -> d.getFileName().toString()
          .startsWith(NativeLibrary.FOLDER_PREFIX + ProcessHandle.current().pid() + "-")
          && Files.exists(d.resolve("libframecodec_turbojpeg.so"))
          && Files.exists(d.resolve("libturbojpeg.so.0"))));
    }
  }

  /** A pid no process has: above the kernel's pid_max (at most 2^22 on Linux). */
  private static long deadPid() {
    long pid = (1L << 22) + 12345;
    assertTrue(ProcessHandle.of(pid).isEmpty());
    return pid;
  }
}
