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
#   ffmpeg, nginx + libnginx-mod-rtmp (the stream tests: ffmpeg/ffprobe make and check the videos,
#                            nginx is the real RTMP server; the tests start it on a loopback port)
# Installs through apt-get when running as root or with password-less sudo; otherwise prints
# the exact command to run and fails. FRAMECODEC_NO_APT=1 forbids installing.
set -euo pipefail
packages=(gcc libturbojpeg0-dev python3-opencv python3-numpy python3-flask python3-crcmod
  clang libclang-rt-14-dev cmake libjpeg-turbo-progs ffmpeg nginx libnginx-mod-rtmp)
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
