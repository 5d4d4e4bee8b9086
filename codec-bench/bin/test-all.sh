#!/usr/bin/env bash
# Runs every test of every module, after installing what the build and tests need.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash codec-bench/bin/setup-deps.sh
mvn -B verify "$@"
