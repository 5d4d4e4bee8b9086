#!/usr/bin/env bash
# Runs every test of every module, after installing what the build and tests need (both
# platforms' shims are built: linux-x86_64 and, cross-compiled, linux-aarch64), then codec-core's
# platform tests on linux-aarch64 under qemu (test-aarch64.sh, a few minutes; FRAMECODEC_AARCH64=0
# skips it), then the bounded fuzzing run (codec-bench/bin/fuzz.sh, FUZZ_SECONDS per target,
# default 60; about 10 minutes in all, plus 2 the first time to build an instrumented
# libjpeg-turbo; FUZZ_SECONDS=0 skips it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash codec-bench/bin/setup-deps.sh
mvn -B verify "$@"
if [[ ${FRAMECODEC_AARCH64:-1} != 0 ]]; then
  bash codec-bench/bin/test-aarch64.sh
fi
if [[ ${FUZZ_SECONDS:-60} -gt 0 ]]; then
  bash codec-bench/bin/fuzz.sh
fi
