#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with gpu-bundle/ carried beside the tree
# (see make-bundle.sh). CUDA, cuDNN and cuBLAS come from the Python packages installed there,
# nvJPEG and NVRTC from /usr/local/cuda. Runs the Python anchor and the detector report in one
# session, so both see the same machine, and writes both to $OUT.
#   run-on-gpu.sh [DEVICE] [BATCHES] [SECONDS] [PATHS]
set -euo pipefail
device=${1:-cuda}
batches=${2:-16,64,256}
seconds=${3:-4}
paths=${4:-}
bundle=$PWD/gpu-bundle
nv=${NVIDIA_LIBS:-/opt/torch/.venv/lib/python3.12/site-packages/nvidia}
cuda_home=${CUDA_HOME:-/usr/local/cuda}
jre=${TMPDIR:-/tmp}/framecodec-jre
natives=${TMPDIR:-/tmp}/framecodec-natives
out=${OUT:-/tmp}
unpack() { # tar without xz falls back to Python's tarfile
  mkdir -p "$2" && { tar xJf "$1" -C "$2" 2>/dev/null || python3 -c 'import sys,tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }
}
rm -rf "$jre" "$natives"
unpack "$bundle/jre.tar.xz" "$jre"
unpack "$bundle/natives.tar.xz" "$natives"
export LD_LIBRARY_PATH=$nv/cu13/lib:$nv/cudnn/lib:$cuda_home/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  lscpu | grep -E 'Model name|^CPU\(s\)' || true; } | tee "$out/machine.txt"
if [[ -f $bundle/anchor/gpu_decode_anchor.py && -z ${SKIP_ANCHOR:-} ]]; then
  echo "anchor (Python, torchvision nvJPEG and OpenCV), before the report" >&2
  PYTHONUNBUFFERED=1 python3 "$bundle/anchor/gpu_decode_anchor.py" codec-core/src/test/resources/corpus/*.png \
    > "$out/anchor.json" || echo "anchor failed" >&2
fi
# libjsig chains the signal handlers native libraries install to the JVM's, which uses SIGSEGV
# itself (safepoint polls, null checks): without it, JVMs here died with SIGSEGV and no hs_err
# file, always at the start of a detector's run (five of eighteen, 2026-11-30).
LD_PRELOAD=$jre/jre/lib/libjsig.so "$jre/jre/bin/java" -Xmx16g -Dorg.bytedeco.javacpp.platform.extension=-gpu \
  -cp "$bundle/lib/*:$natives" org.framecodec.bench.detect.GpuDetectorReport \
  "$bundle/data" "$device" "$batches" "$seconds" $paths | tee "$out/gpu-report.md"
