#!/usr/bin/env bash
# Issue 12's JMH comparison on one machine, in one run: payloads -> detections with the detector of
# the first version (commit 624c1c1: full-size decode on the calling thread, then a serial Java
# pre-process) and with today's full-serial, scaled-serial and scaled-pipelined paths, batch 16 and
# 64, 1080p cv2-yuv q80 payloads, BlazeFace front on the CPU, with -prof gc.
#   codec-bench/bin/jmh-detector-vs-original.sh [OUT_DIR]    (default: target/jmh-detector)
# Builds the first version in a temporary git worktree (Maven, offline when the repository has
# what it needs) and today's tree in place; prints both JMH tables and a ratio summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/target/jmh-detector}
mkdir -p "$out"
orig=$(mktemp -d)/framecodec-624c1c1
trap 'git -C "$root" worktree remove --force "$orig" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add -q --detach "$orig" 624c1c1
(cd "$orig" && mvn -B -q package -DskipTests)
(cd "$root" && [[ -f codec-bench/target/codec-bench.jar ]] || mvn -B -q package -DskipTests)
(cd "$orig" && java -cp codec-bench/target/codec-bench.jar org.openjdk.jmh.Main DetectorEndToEndBenchmark \
  -p batch=16,64 -p frame=composite-1080p -prof gc -rf json -rff "$out/original.json") | tee "$out/original.txt"
(cd "$root" && java -jar codec-bench/target/codec-bench.jar jmh DetectorEndToEndBenchmark -prof gc \
  -rf json -rff "$out/today.json") | tee "$out/today.txt"
python3 - "$out/original.json" "$out/today.json" <<'PY'
import json, sys
def images(path, label):
    rows = {}
    for r in json.load(open(path)):
        p = r["params"]
        sec = r.get("secondaryMetrics", {}).get("images")
        if sec:
            rows[(int(p["batch"]), p.get("path", label))] = sec["score"]
    return rows
base = images(sys.argv[1], "original")
today = images(sys.argv[2], "today")
for batch in (16, 64):
    b = base.get((batch, "original"))
    print(f"batch {batch}: original {b:.1f} img/s")
    for path in ("full-serial", "scaled-serial", "scaled-pipelined"):
        v = today.get((batch, path))
        if v is not None:
            print(f"  {path}: {v:.1f} img/s, {v / b:.2f}x the original")
PY
