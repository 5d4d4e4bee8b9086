#!/usr/bin/env bash
# Builds the TurboJPEG JNI shim (the JNI layer plus the JNI-free codec core, fc_codec.c) and
# places it, with the libturbojpeg it links to, in the classes folder so the jar carries both.
# Called by Maven (exec-maven-plugin).
#   build.sh JAVA_HOME WORK_DIR OUT_DIR
set -euo pipefail
java_home=$1 work=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
header=/usr/include/turbojpeg.h
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
libtj=/usr/lib/$multiarch/libturbojpeg.so.0
if [[ ! -f $header || ! -e $libtj ]]; then
  echo "build.sh: TurboJPEG development files are missing; run: sudo apt-get install -y gcc libturbojpeg0-dev" >&2
  exit 1
fi
mkdir -p "$out" "$work"
# Linking the .so (not Debian's non-PIC libturbojpeg.a) and shipping it beside the shim:
# $ORIGIN makes the loader find it in the extraction folder.
gcc -O3 -fPIC -shared -std=c11 -Wall -Wextra -Werror -fvisibility=hidden \
  -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
  -I"$java_home/include" -I"$java_home/include/linux" -I"$work/include" \
  -o "$out/libframecodec_turbojpeg.so" "$here"/*.c \
  -L"$(dirname "$libtj")" -l:libturbojpeg.so.0 -Wl,-rpath,'$ORIGIN' -Wl,-z,noexecstack -Wl,-z,relro,-z,now -lm
cp -L "$libtj" "$out/libturbojpeg.so.0"
echo "build.sh: built $out/libframecodec_turbojpeg.so with $(readlink -f "$libtj")"
