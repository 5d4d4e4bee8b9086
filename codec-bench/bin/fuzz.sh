#!/usr/bin/env bash
# Bounded coverage-guided fuzzing of every decoder that sees untrusted bytes; part of CI
# (test-all.sh calls it after the test suite). Each target fuzzes for FUZZ_SECONDS (default 60):
#   - the Jazzer @FuzzTest methods of codec-core, one JVM each (Jazzer fuzzes one test per run);
#   - fuzz_decode, the libFuzzer + ASan + UBSan harness of the C shim's decode path.
# In a normal `mvn test` the same Jazzer tests only replay their committed seeds and findings.
# A finding fails the script: Jazzer saves the input beside the seeds (src/test/resources/...
# /<Test>Inputs/<method>/crash-*), where every later `mvn test` replays it as a regression
# test; fuzz_decode saves it in codec-core/target/fuzz-native (copy it to src/test/c/regressions).
# Generated corpora stay in codec-core/.cifuzz-corpus and target/ (not committed), so repeated
# runs on one checkout go deeper. Writes a summary to codec-core/target/fuzz-summary.txt.
#   FUZZ_SECONDS=600 bash codec-bench/bin/fuzz.sh            longer runs
#   bash codec-bench/bin/fuzz.sh Base64FuzzTest#decodePathsAgree   one Java target
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  # The native harness runs first: its corpus, grown with libjpeg-turbo's own coverage, seeds the
  # Java JPEG targets, which cannot see native coverage themselves.
  targets=(
    native:fuzz_decode
    JpegDecodeFuzzTest#turboJpegDecode
    JpegDecodeFuzzTest#openCvDecode
    Base64FuzzTest#decodePathsAgree
    JsonEnvelopeFuzzTest#readAgreesAcrossSourcesAndRoundTrips
    RawContainerFuzzTest#readAgreesAcrossSourcesAndRoundTrips
    WireReaderFuzzTest#readAgreesAcrossSources
    NpyFuzzTest#readAgreesAcrossSources
    RestRequestFuzzTest#readRefusesOrRoundTrips
    DetectionsJsonFuzzTest#readRefusesOrRoundTrips
  )
fi
summary=codec-core/target/fuzz-summary.txt
mkdir -p codec-core/target
: > "$summary"
mvn -B -q -pl codec-core test-compile
status=0
for t in "${targets[@]}"; do
  if [[ $t == native:* ]]; then
    if line=$(bash codec-core/src/test/c/fuzz-native.sh "$seconds"); then
      echo "$line" | tee -a "$summary"
    else
      echo "FAILED $t" | tee -a "$summary"
      status=1
    fi
    continue
  fi
  log=codec-core/target/fuzz-${t//#/-}.log
  extra=()
  native_corpus=codec-core/target/fuzz-native/corpus
  if [[ $t == JpegDecodeFuzzTest#* && -d $native_corpus ]]; then
    extra=(-Djazzer.internal.arg.4="$PWD/$native_corpus")
  fi
  # surefire:test runs on the classes already compiled. The jazzer.internal.arg.N properties are
  # libFuzzer arguments appended after Jazzer's own, so they override @FuzzTest's maxDuration;
  # a further directory is read as extra seeds. libjpeg's own warnings (OpenCV prints each one)
  # are dropped from the log.
  # pipefail makes the pipeline's status mvn's (the filter never fails); tested in the if, so
  # that a finding is reported and the remaining targets still run, rather than set -e ending
  # the script at the first one.
  if JAZZER_FUZZ=1 mvn -B -pl codec-core surefire:test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
      -Djazzer.internal.arg.2=-timeout=10 -Djazzer.internal.arg.3=-print_final_stats=1 "${extra[@]}" 2>&1 \
    | { grep -avE '^(Corrupt JPEG data|Premature end of JPEG|Invalid SOS|Warning: |Bogus|Unsupported marker|Inconsistent progression)' || true; } > "$log"; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E "== Java Exception|Caused by|crash-|ERROR\]" "$log" | head -20 >&2 || true
  fi
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  cov=$(grep -oE 'DONE +cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 | sed 's/DONE *//' || true)
  echo "$t (Java; Jazzer): $result, ${seconds}s, ${execs:-?} executions, $cov" | tee -a "$summary"
done
exit $status
