#!/usr/bin/env bash
# The main job: builds the tool, reproduces the source document's size table on the bundled
# 1080p frame, then prints sizes, PSNR and times of every mode on both backends.
# Extra arguments go to both commands (e.g. --frame path.png).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash codec-bench/bin/setup-deps.sh
mvn -B -q package -DskipTests
java -jar codec-bench/target/codec-bench.jar table "$@"
echo
exec java -jar codec-bench/target/codec-bench.jar report "$@"
