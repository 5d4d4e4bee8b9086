#!/usr/bin/env bash
# The main job: builds the tool and prints the report on the bundled 1080p frame.
# Extra arguments go to the report command (e.g. --frame path.png).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash codec-bench/bin/setup-deps.sh
mvn -B -q package -DskipTests
exec java -jar codec-bench/target/codec-bench.jar report "$@"
