#!/usr/bin/env bash
# Builds the TurboJPEG JNI shim (the JNI layer plus the JNI-free codec core: every .c file in this
# folder) for each Linux platform it can, and places each, with the libturbojpeg it links to, in
# NATIVES_DIR/PLATFORM so the jar carries them (org/framecodec/natives/linux-x86_64/, .../
# linux-aarch64/). Called by Maven (exec-maven-plugin).
#   build.sh JAVA_HOME WORK_DIR NATIVES_DIR
# The host's platform is required. The other one is built when its cross toolchain and Debian's
# libturbojpeg0-dev for that architecture (multiarch) are installed, and skipped with a notice
# otherwise; codec-bench/bin/setup-deps.sh installs them. FRAMECODEC_NATIVES=linux-x86_64 (a
# space-separated list) builds only the ones named, and fails when one cannot be built.
set -euo pipefail
java_home=$1 work=$2 natives=$3
here=$(cd "$(dirname "$0")" && pwd)
header=/usr/include/turbojpeg.h
sources=("$here"/*.c)

case $(uname -m) in
  x86_64 | amd64) host=x86_64 ;;
  aarch64 | arm64) host=aarch64 ;;
  *) host=$(uname -m) ;;
esac

# Builds linux-ARCH with COMPILER against /usr/lib/ARCH-linux-gnu/libturbojpeg.so.0.
build() {
  local arch=$1 cc=$2
  local libtj=/usr/lib/$arch-linux-gnu/libturbojpeg.so.0
  local out=$natives/linux-$arch
  mkdir -p "$out"
  # turbojpeg.h is the same file for every architecture; Debian's cross gcc reads its own libc
  # headers first and /usr/include after them, so it finds it there.
  # JNI headers are architecture-independent except jni_md.h, whose Linux version is the same on
  # x86_64 and aarch64 (LP64, visibility attributes): the host JDK's serve both.
  # Linking the .so (not Debian's non-PIC libturbojpeg.a) and shipping it beside the shim:
  # $ORIGIN makes the loader find it in the extraction folder.
  "$cc" -O3 -fPIC -shared -std=c11 -Wall -Wextra -Werror -fvisibility=hidden \
    -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
    -I"$java_home/include" -I"$java_home/include/linux" -I"$work/include" \
    -o "$out/libframecodec_turbojpeg.so" "${sources[@]}" \
    -L"$(dirname "$libtj")" -l:libturbojpeg.so.0 -Wl,-rpath,'$ORIGIN' -Wl,-z,noexecstack -Wl,-z,relro,-z,now -lm
  cp -L "$libtj" "$out/libturbojpeg.so.0"
  echo "build.sh: built $out/libframecodec_turbojpeg.so ($cc) with $(readlink -f "$libtj")"
}

# The compiler for ARCH: the native gcc on the host's architecture, else the cross one.
compiler() {
  if [[ $1 == "$host" ]]; then echo gcc; else echo "$1-linux-gnu-gcc"; fi
}

# Why ARCH cannot be built here, or nothing when it can.
missing() {
  local arch=$1 cc deb=arm64
  cc=$(compiler "$arch")
  [[ $arch == x86_64 ]] && deb=amd64
  if [[ ! -f $header ]]; then
    echo "TurboJPEG development files are missing; run: sudo apt-get install -y gcc libturbojpeg0-dev"
  elif ! command -v "$cc" >/dev/null || ! echo '#include <stdio.h>' | "$cc" -E - >/dev/null 2>&1; then
    echo "$cc or its C library headers are missing; run: sudo apt-get install -y gcc-${arch//_/-}-linux-gnu libc6-dev-$deb-cross"
  elif [[ ! -e /usr/lib/$arch-linux-gnu/libturbojpeg.so.0 ]]; then
    echo "/usr/lib/$arch-linux-gnu/libturbojpeg.so.0 is missing; run: sudo dpkg --add-architecture $deb && sudo apt-get update && sudo apt-get install -y libturbojpeg0-dev:$deb"
  fi
}

mkdir -p "$natives" "$work"
if [[ -n ${FRAMECODEC_NATIVES:-} ]]; then
  read -r -a wanted <<< "$FRAMECODEC_NATIVES"
  required=1
else
  wanted=(linux-x86_64 linux-aarch64)
  required=0
fi
for platform in "${wanted[@]}"; do
  arch=${platform#linux-}
  if [[ $platform != linux-x86_64 && $platform != linux-aarch64 ]]; then
    echo "build.sh: unknown platform $platform (linux-x86_64 and linux-aarch64 are built)" >&2
    exit 1
  fi
  why=$(missing "$arch")
  if [[ -z $why ]]; then
    build "$arch" "$(compiler "$arch")"
  elif [[ $required == 1 || $arch == "$host" ]]; then
    echo "build.sh: cannot build $platform: $why" >&2
    exit 1
  else
    echo "build.sh: skipping $platform (the jar will not carry it): $why" >&2
  fi
done
