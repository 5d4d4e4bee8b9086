#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with gpu-bundle/ (make-bundle.sh) and
# gpu-stream/ (make-stream-bundle.sh) beside the tree: the stream benchmark (framecodec
# stream-bench) on the carried clips with the CUDA detector, then the same with the CPU detector
# for comparison. Writes $OUT/stream-report.md (and stdout).
#   run-stream-on-gpu.sh [RESOLUTIONS] [MAX_STREAMS] [DEVICES]
#   defaults: 1080p50,720p25  16  cuda,cpu
set -euo pipefail
resolutions=${1:-1080p50,720p25}
max=${2:-16}
devices=${3:-cuda,cpu}
bundle=$PWD/gpu-bundle
stream=$PWD/gpu-stream
for f in "$bundle/jre.tar.xz" "$bundle/natives.tar.xz" "$stream/ffmpeg-natives.tar.xz"; do
  [[ -f $f ]] || { echo "missing $f: carry gpu-bundle, then gpu-stream (see make-stream-bundle.sh)" >&2; exit 1; }
done
nv=${NVIDIA_LIBS:-/opt/torch/.venv/lib/python3.12/site-packages/nvidia}
jre=${TMPDIR:-/tmp}/framecodec-jre
natives=${TMPDIR:-/tmp}/framecodec-natives
unpack() { # tar without xz falls back to Python's tarfile
  mkdir -p "$2" && { tar xJf "$1" -C "$2" 2>/dev/null || python3 -c 'import sys,tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }
}
rm -rf "$jre" "$natives"
unpack "$bundle/jre.tar.xz" "$jre"
unpack "$bundle/natives.tar.xz" "$natives"
unpack "$stream/ffmpeg-natives.tar.xz" "$natives"
export LD_LIBRARY_PATH=$nv/cu13/lib:$nv/cudnn/lib:/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
out=${OUT:-/tmp}
work=${TMPDIR:-/tmp}/framecodec-stream-work
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
inputs=()
IFS=, read -ra res <<< "$resolutions"
for r in "${res[@]}"; do
  inputs+=(--input "$r=$stream/clips/$r.mp4")
done
{
  echo "# stream-bench on $(hostname), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  IFS=, read -ra devs <<< "$devices"
  for d in "${devs[@]}"; do
    echo
    echo "## detector device: $d"
    # libjsig: see run-on-gpu.sh.
    LD_PRELOAD=$jre/jre/lib/libjsig.so "$jre/jre/bin/java" -Xmx16g \
      -Dorg.bytedeco.javacpp.platform.extension=-gpu -cp "$bundle/lib/*:$stream/lib/*:$natives" org.framecodec.bench.stream.StreamTools stream-bench \
      --model "$bundle/data/front.onnx" --device "$d" --resolutions "$resolutions" --max-streams "$max" \
      --batch 64 --work "$work" --live-check "${inputs[@]}"
  done
} 2>&1 | tee "$out/stream-report.md"
