#!/usr/bin/env bash
# Installs the system packages FrameCodec's build and tests need, when they are missing:
#   gcc + libturbojpeg0-dev  (the JNI shim is compiled against the TurboJPEG API)
#   python3-opencv           (the real Python peer for the interop tests; brings numpy)
#   python3-flask, python3-crcmod (the HTTP inference peer, peer_server.py: Flask, and CRC-32C
#                            in C for the raw container)
#   clang + libclang-rt-14-dev + cmake  (the bounded libFuzzer run of the shim in fuzz.sh: clang's
#                            fuzzer and sanitizer runtimes, and cmake to build an instrumented
#                            libjpeg-turbo)
#   libjpeg-turbo-progs      (tjbench, the reference of `framecodec targets`)
#   python3-grpcio, python3-grpc-tools (the Open Inference Protocol's gRPC peer, oip_grpc_peer.py,
#                            which compiles codec-core's oip_v2.proto when it starts)
#   ffmpeg, nginx + libnginx-mod-rtmp (the stream tests: ffmpeg/ffprobe make and check the videos,
#                            nginx is the real RTMP server; the tests start it on a loopback port)
#   on x86_64, for the linux-aarch64 shim (codec-core/src/main/c/build.sh cross-builds it, and
#   test-aarch64.sh tests it under emulation): gcc-aarch64-linux-gnu + libc6-dev-arm64-cross,
#   libturbojpeg0-dev:arm64 (Debian multiarch; "dpkg --add-architecture arm64" first),
#   qemu-user-static, openjdk-17-jre-headless:arm64 (the emulated JVM; apt moves the amd64
#   openjdk-17 to the same version, as multiarch requires)
# Installs through apt-get when running as root or with password-less sudo; otherwise prints
# the exact command to run and fails. FRAMECODEC_NO_APT=1 forbids installing.
set -euo pipefail
packages=(gcc libturbojpeg0-dev python3-opencv python3-numpy python3-flask python3-crcmod
  clang libclang-rt-14-dev cmake libjpeg-turbo-progs python3-grpcio python3-grpc-tools ffmpeg nginx
  libnginx-mod-rtmp)
arm64=()
if [[ $(dpkg --print-architecture 2>/dev/null) == amd64 ]]; then
  arm64=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross libturbojpeg0-dev:arm64 qemu-user-static
    openjdk-17-jre-headless:arm64)
  packages+=("${arm64[@]}")
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null; then
    echo "setup-deps: '$tool' is not on PATH; install a JDK (17 or newer) and Maven first, e.g.: apt-get install -y openjdk-17-jdk-headless maven" >&2
    exit 1
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ ${#arm64[@]} -gt 0 ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  cmd="dpkg --add-architecture arm64 && $cmd"
fi
if [[ ${FRAMECODEC_NO_APT:-0} == 1 ]]; then
  echo "setup-deps: missing packages: ${missing[*]}; run: sudo sh -c '$cmd'" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  echo "setup-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  sh -c "$cmd" >&2
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "setup-deps: installing ${missing[*]} with sudo" >&2
  sudo DEBIAN_FRONTEND=noninteractive sh -c "$cmd" >&2
else
  echo "setup-deps: missing packages: ${missing[*]}; run: sudo sh -c '$cmd'" >&2
  exit 1
fi
