package org.framecodec.bench.support;

/**
 * The Python the bench runs its peers with: {@code /usr/bin/python3}, which has Debian's
 * python3-opencv (the {@code python3} on PATH may be a pyenv without cv2), unless the {@code
 * FRAMECODEC_PYTHON} environment variable names another. Stateless.
 */
public final class Python {
  /** What to install when the peer's modules are missing. */
  public static final String INSTALL_HINT = "install the peer with: apt-get install -y python3-opencv python3-flask"
      + " python3-crcmod (codec-bench/bin/setup-deps.sh)";

  private Python() {}

  /** The interpreter's path. */
  public static String interpreter() {
    String env = System.getenv("FRAMECODEC_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }
}
