#!/usr/bin/env bash
# Runs codec-core's platform tests on linux-aarch64, under emulation, against the arm64 shim the
# build put in the jar (org/framecodec/natives/linux-aarch64/): an arm64 JVM (Debian's
# openjdk-17-jre-headless:arm64, multiarch) started through qemu-user, with bytedeco's
# linux-arm64 OpenCV natives (Maven fetches them once, about 40 MB). Part of CI: test-all.sh calls
# it after `mvn verify`; run alone it needs the packages setup-deps.sh installs.
#   NativeLibraryTest          the platform is linux-aarch64 and the arm64 shim loads
#   JpegCodecRoundTripTest     every backend x mode x subsampling above its PSNR floor
#   JpegCodecBadInputTest      hostile payloads get typed exceptions, no crash
#   PythonPeerInteropTest      cv2-yuv payloads at q20/50/80/95 equal, byte for byte, those of the
#                              Python peer (x86_64 python3-opencv, run natively: qemu-user passes
#                              the JVM's exec of /usr/bin/python3 to the host kernel)
#   CrossPlatformVectorsTest   every payload and decoded frame of both backends equals the
#                              linux-x86_64 reference (SHA-256), i.e. NEON writes what SSE/AVX2 do
#   InputWriterTest            the shim's tensor writer (fc_tensor.c) against the Java reference
# Emulation is slow: about 4 minutes of CPU on the 2-core development machine (FRAMECODEC_AARCH64_TESTS
# names another list, e.g. one class while working on it).
#   bash codec-bench/bin/test-aarch64.sh [extra mvn arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
jre=${FRAMECODEC_AARCH64_JRE:-/usr/lib/jvm/java-17-openjdk-arm64}
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [[ $(uname -m) == aarch64 ]]; then
  qemu=""   # native: no emulator needed
elif [[ -z $qemu ]]; then
  echo "test-aarch64: qemu-aarch64 is missing; run codec-bench/bin/setup-deps.sh (qemu-user-static)" >&2
  exit 1
fi
if [[ ! -x $jre/bin/java ]]; then
  echo "test-aarch64: no arm64 JVM at $jre; run codec-bench/bin/setup-deps.sh (openjdk-17-jre-headless:arm64)" >&2
  exit 1
fi
# Builds the shims (both platforms, see build.sh) and the test classes; after `mvn verify` there is
# nothing left to do.
mvn -B -q -pl codec-core test-compile "$@"
shim=codec-core/target/classes/org/framecodec/natives/linux-aarch64/libframecodec_turbojpeg.so
if [[ ! -f $shim ]]; then
  echo "test-aarch64: $shim is missing: the build skipped linux-aarch64 (see build.sh's notice); run codec-bench/bin/setup-deps.sh, then build again" >&2
  exit 1
fi
# Surefire forks "<jvm>" and wants a path ending in bin/java inside a JDK. Without binfmt_misc
# (containers seldom have it) the host kernel cannot exec arm64 programs, so the JRE is laid out
# again under target/ (hard links, no copies) with two programs replaced by scripts that start
# them through qemu: bin/java, and lib/jspawnhelper, which the JVM execs to start processes (the
# tests start /usr/bin/python3, a host program, from it; qemu passes that exec to the kernel).
jdk=codec-core/target/qemu-aarch64-jre
rm -rf "$jdk"
mkdir -p "$(dirname "$jdk")"
cp -al "$jre/." "$jdk" 2>/dev/null || cp -a "$jre/." "$jdk"
for program in bin/java lib/jspawnhelper; do
  mv "$jdk/$program" "$jdk/$program.aarch64"
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$qemu" "$root/$jdk/$program.aarch64" > "$jdk/$program"
  chmod +x "$jdk/$program"
done
echo "test-aarch64: $("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | grep -E 'os.arch' | xargs)"
# javacpp.platform swaps the OpenCV natives on the test classpath for linux-arm64 ones
# (overriding .mvn/maven.config).
mvn -B -pl codec-core surefire:test -Djvm="$root/$jdk/bin/java" -Djavacpp.platform=linux-arm64 \
  -Dtest="${FRAMECODEC_AARCH64_TESTS:-NativeLibraryTest,JpegCodecRoundTripTest,JpegCodecBadInputTest,PythonPeerInteropTest,CrossPlatformVectorsTest,InputWriterTest}" \
  -Dsurefire.failIfNoSpecifiedTests=false "$@"
