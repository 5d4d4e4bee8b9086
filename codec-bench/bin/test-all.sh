#!/usr/bin/env bash
# Runs every test of every module, after installing what the build and tests need:
#   1. `mvn verify` on the default JDK (17): compile, the whole suite, the jars (javadoc included),
#      both platforms' shims (linux-x86_64 and, cross-compiled, linux-aarch64);
#   1b. codec-core's platform tests on linux-aarch64 under qemu (test-aarch64.sh, a few minutes;
#      FRAMECODEC_AARCH64=0 skips it);
#   2. the suite again on Temurin 25 (JDK25_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64), as
#      `mvn test`: the classes are up to date, so it costs the test time and little more. The
#      machine image carries Temurin 25; Debian bookworm has no JDK 25 package, so where it is
#      missing this step is skipped with a loud message rather than failing (TEST_JDK25=0 skips it,
#      TEST_JDK25=1 makes a missing JDK 25 an error);
#   3. the bounded fuzzing run (codec-bench/bin/fuzz.sh, FUZZ_SECONDS per target, default 60; about
#      10 minutes in all, plus 2 the first time to build an instrumented libjpeg-turbo;
#      FUZZ_SECONDS=0 skips it).
# Extra arguments go to both Maven runs (e.g. -Dtest=...).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash codec-bench/bin/setup-deps.sh
mvn -B verify "$@"
if [[ ${FRAMECODEC_AARCH64:-1} != 0 ]]; then
  bash codec-bench/bin/test-aarch64.sh
fi
jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ ${TEST_JDK25:-auto} != 0 ]]; then
  if [[ -x $jdk25/bin/java ]] && "$jdk25/bin/java" -version 2>&1 | grep -q 'version "25'; then
    echo "test-all: the suite again on $("$jdk25/bin/java" -version 2>&1 | head -1)" >&2
    JAVA_HOME=$jdk25 mvn -B test "$@"
  elif [[ ${TEST_JDK25:-auto} == 1 ]]; then
    echo "test-all: TEST_JDK25=1 but no JDK 25 at $jdk25 (set JDK25_HOME)" >&2
    exit 1
  else
    echo "################################################################################" >&2
    echo "test-all: WARNING: no JDK 25 at $jdk25 (set JDK25_HOME); the JDK 25 test run is" >&2
    echo "test-all: SKIPPED. Debian bookworm has no JDK 25 package; install Temurin 25 there." >&2
    echo "################################################################################" >&2
  fi
fi
if [[ ${FUZZ_SECONDS:-60} -gt 0 ]]; then
  bash codec-bench/bin/fuzz.sh
fi
