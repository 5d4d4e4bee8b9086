#!/usr/bin/env bash
# Builds the libFuzzer harness for the shim's decode path (fuzz_decode.c + fc_codec.c + fc_tensor.c) with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer, replays the committed seeds and
# regressions, then fuzzes for SECONDS (default 60; 0 only replays).
#   fuzz-native.sh [SECONDS] [WORK_DIR]
#
# libjpeg-turbo: coverage guidance needs the library instrumented too, or the fuzzer sees only
# the shim's few branches and stalls at the header. So the script fetches the source of the very
# version the system library is (Debian's source package, through apt-get with a private list
# in WORK_DIR; the system's apt configuration is not touched), builds it once with the same
# sanitizers into WORK_DIR (about 2 minutes on 2 cores; kept for later runs), and links it
# statically. If that cannot be done (no network, no cmake), it links the system library and
# says so: the run still checks the shim's bounds, with much weaker guidance.
#
# Seeds: the JPEG seeds of JpegDecodeFuzzTest (real payloads of every mode and subsampling) and
# regressions/ beside this script. New corpus entries go to WORK_DIR/corpus (kept between runs of
# one checkout, never committed); a crash is saved as WORK_DIR/crash-* and fails the script: once
# fixed, copy it into regressions/. Prints one summary line: target, seconds, executions, corpus.
set -euo pipefail
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
core=$(cd "$here/../../.." && pwd)
work=${2:-$core/target/fuzz-native}
seeds=$core/src/test/resources/org/framecodec/codec/JpegDecodeFuzzTestInputs/turboJpegDecode
regressions=$here/regressions
clang=$(command -v clang || command -v clang-14 || true)
if [[ -z $clang ]]; then
  echo "fuzz-native.sh: clang is missing; run: sudo apt-get install -y clang libclang-rt-14-dev" >&2
  exit 1
fi
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
mkdir -p "$work/corpus"

# An instrumented static libturbojpeg of the installed version, built once.
version=$(dpkg-query -W -f='${Version}' libturbojpeg0 2>/dev/null || true)
tj=$work/libjpeg-turbo-${version//[:~]/_}
build_tj() {
  command -v cmake >/dev/null || { echo "no cmake" >&2; return 1; }
  [[ -n $version ]] || { echo "libturbojpeg0 is not installed through dpkg" >&2; return 1; }
  local apt=$work/apt
  mkdir -p "$apt/lists/partial" "$apt/parts" "$apt/src"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > "$apt/parts/src.sources"
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/parts"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
  apt-get "${opts[@]}" -qq update >/dev/null
  (cd "$apt/src" && apt-get "${opts[@]}" -qq source --download-only "libjpeg-turbo=$version" >/dev/null 2>&1)
  rm -rf "$tj.tmp" && mkdir -p "$tj.tmp/build"
  tar xzf "$apt"/src/libjpeg-turbo_*.orig.tar.gz -C "$tj.tmp" --strip-components=1
  (cd "$tj.tmp/build" && cmake -G"Unix Makefiles" -DCMAKE_C_COMPILER="$clang" \
      -DCMAKE_C_FLAGS="-g -O1 -fsanitize=fuzzer-no-link ${sanitize[*]}" -DENABLE_SHARED=0 \
      -DWITH_SIMD=0 .. >cmake.log 2>&1 && make -j"$(nproc)" turbojpeg-static >make.log 2>&1)
  mv "$tj.tmp" "$tj"
}
if [[ ! -f $tj/build/libturbojpeg.a ]]; then
  echo "fuzz-native.sh: building an instrumented libjpeg-turbo $version (once; about 2 minutes)" >&2
  build_tj || echo "fuzz-native.sh: could not build it; linking the system library (uninstrumented)" >&2
fi
if [[ -f $tj/build/libturbojpeg.a ]]; then
  lib=(-I"$tj" -I"$tj/build" "$tj/build/libturbojpeg.a")
  what="libjpeg-turbo $version instrumented"
else
  multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
  lib=(-L"/usr/lib/$multiarch" -l:libturbojpeg.so.0)
  what="system libjpeg-turbo, uninstrumented"
fi
"$clang" -g -O1 -std=c11 -fsanitize=fuzzer "${sanitize[@]}" -I"$core/src/main/c" \
  -o "$work/fuzz_decode" "$here/fuzz_decode.c" "$core/src/main/c/fc_codec.c" "$core/src/main/c/fc_tensor.c" "${lib[@]}" -lm

# Replay: every seed and regression once, no mutation.
"$work/fuzz_decode" -runs=0 "$seeds" "$regressions" > "$work/replay.log" 2>&1 || {
  cat "$work/replay.log" >&2; echo "fuzz-native.sh: a seed or regression fails" >&2; exit 1; }
inputs=$(find "$seeds" "$regressions" -type f | wc -l)
if [[ $seconds -le 0 ]]; then
  echo "fuzz_decode (C; libFuzzer, ASan, UBSan; $what): replayed $inputs seeds and regressions"
  exit 0
fi
log=$work/fuzz.log
if ! "$work/fuzz_decode" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" "$seeds" "$regressions" > "$log" 2>&1; then
  tail -60 "$log" >&2
  echo "fuzz-native.sh: fuzz_decode found a crash or hang; the input is in $work (crash-*, timeout-*, leak-*)" >&2
  exit 1
fi
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
corpus=$(find "$work/corpus" -type f | wc -l)
cov=$(grep -oE 'DONE +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | sed 's/DONE *//' || true)
echo "fuzz_decode (C; libFuzzer, ASan, UBSan; $what): ${seconds}s, $execs executions, corpus $corpus files, $cov"
