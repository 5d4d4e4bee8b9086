#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with gpu-bundle/ carried beside the tree
# (see make-bundle.sh). CUDA, cuDNN and cuBLAS come from the Python packages installed there.
# Writes the report to $OUT/gpu-report.md (and stdout).
#   run-on-gpu.sh [DEVICES] [BATCHES] [DECODE_THREADS] [SECONDS]
set -euo pipefail
devices=${1:-cpu,cuda,cuda_fp16}
batches=${2:-1,16,32,64,128,256}
threads=${3:-$(nproc)}
seconds=${4:-3}
bundle=$PWD/gpu-bundle
nv=${NVIDIA_LIBS:-/opt/torch/.venv/lib/python3.12/site-packages/nvidia}
jre=${TMPDIR:-/tmp}/framecodec-jre
natives=${TMPDIR:-/tmp}/framecodec-natives
unpack() { # tar without xz falls back to Python's tarfile
  mkdir -p "$2" && { tar xJf "$1" -C "$2" 2>/dev/null || python3 -c 'import sys,tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }
}
rm -rf "$jre" "$natives"
unpack "$bundle/jre.tar.xz" "$jre"
unpack "$bundle/natives.tar.xz" "$natives"
export LD_LIBRARY_PATH=$nv/cu13/lib:$nv/cudnn/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
out=${OUT:-/tmp}
"$jre/jre/bin/java" -Xmx8g -Dorg.bytedeco.javacpp.platform.extension=-gpu \
  -cp "$bundle/lib/*:$natives" org.framecodec.bench.detect.GpuDetectorReport \
  "$bundle/model.onnx" "$bundle/data" "$devices" "$batches" "$threads" "$seconds" | tee "$out/gpu-report.md"
